package io.gatehouse.deviceinventory.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.deviceinventory.support.Api;
import io.gatehouse.deviceinventory.support.InventoryIT;
import io.gatehouse.deviceinventory.support.InventoryTokens;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two writers holding the same ETag: exactly one wins, the other gets 412, and no update is lost silently. */
class ConcurrentWritersIT extends InventoryIT {

    @Test
    void putWhenTwoWritersRaceWithTheSameEtagThenExactlyOneWins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                String id = newId();
                String cert = newFingerprint();
                String etag = createDevice(id, cert).etag();
                CyclicBarrier start = new CyclicBarrier(2);
                List<CompletableFuture<Api.Response>> writers = List.of("a", "b").stream()
                        .map(who -> CompletableFuture.supplyAsync(() -> {
                            await(start);
                            return api.send("PUT", "/v1/devices/" + id, admin(),
                                    deviceJson(who + "@corp.example", "macOS", "15.3", true, cert), "If-Match", etag);
                        }, pool))
                        .toList();
                List<Integer> statuses = writers.stream().map(f -> f.join().status()).sorted().toList();
                assertThat(statuses).as("round %d", round).containsExactly(200, 412);
                Api.Response winner = writers.stream().map(CompletableFuture::join).filter(r -> r.status() == 200)
                        .findFirst().orElseThrow();
                Api.Response stored = api.get("/v1/devices/" + id, admin());
                assertThat(stored.etag()).isEqualTo("\"2\"");
                assertThat(stored.json().get("owner").asText()).isEqualTo(winner.json().get("owner").asText());
                assertThat(api.get("/v1/devices/" + id + "/history", admin()).json().get("total").asLong())
                        .isEqualTo(2);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void putWhenTwoCreatorsRaceForOneIdThenExactlyOneCreates() {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            String id = newId();
            CyclicBarrier start = new CyclicBarrier(2);
            List<CompletableFuture<Api.Response>> creators = List.of(newFingerprint(), newFingerprint()).stream()
                    .map(cert -> CompletableFuture.supplyAsync(() -> {
                        await(start);
                        return api.send("PUT", "/v1/devices/" + id, admin(),
                                deviceJson("pat@corp.example", "macOS", "15.3", true, cert));
                    }, pool))
                    .toList();
            List<Integer> statuses = creators.stream().map(f -> f.join().status()).sorted().toList();
            assertThat(statuses.get(0)).isEqualTo(201);
            assertThat(statuses.get(1)).isIn(412, 428);
            assertThat(api.get("/v1/devices/" + id, admin()).json().get("cert_sha256")).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reportsWhenConcurrentWithoutIfMatchThenAllApplyInTurn() {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            String id = newId();
            createDevice(id, newFingerprint());
            CyclicBarrier start = new CyclicBarrier(6);
            List<CompletableFuture<Api.Response>> reporters = java.util.stream.IntStream.range(0, 6)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                        await(start);
                        return api.send("POST", "/v1/devices/" + id + "/reports", InventoryTokens.get().reporterFor(id),
                                "{\"disk_encrypted\":true,\"screen_lock\":true,\"os_version\":\"15." + i + "\"}");
                    }, pool))
                    .toList();
            assertThat(reporters.stream().map(f -> f.join().status()).toList()).containsOnly(200);
            assertThat(api.get("/v1/devices/" + id, admin()).etag()).isEqualTo("\"7\"");
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
