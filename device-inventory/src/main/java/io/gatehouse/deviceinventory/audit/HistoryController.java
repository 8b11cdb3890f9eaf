package io.gatehouse.deviceinventory.audit;

import io.gatehouse.deviceinventory.web.ApiProblem;
import java.util.List;
import java.util.Objects;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/devices/{id}/history} (scope {@code devices:read}): the entries oldest first, paged. A device
 * that never existed has no entries and answers 404; a device's history outlives nothing, since devices are not
 * deleted through the API.
 */
@RestController
class HistoryController {

    private final HistoryRepository history;

    HistoryController(HistoryRepository history) {
        this.history = Objects.requireNonNull(history, "history");
    }

    /** One page of history. */
    public record HistoryPage(List<HistoryEntry> items, int page, int size, long total) {
    }

    @GetMapping(path = "/v1/devices/{id}/history", produces = "application/json")
    @Transactional(readOnly = true)
    public HistoryPage history(@PathVariable String id, @RequestParam(defaultValue = "0") int page,
                               @RequestParam(defaultValue = "100") int size) {
        if (page < 0) {
            throw ApiProblem.invalid("page", "must be 0 or more");
        }
        if (size < 1 || size > 500) {
            throw ApiProblem.invalid("size", "must be between 1 and 500");
        }
        long total = history.count(id);
        if (total == 0) {
            throw ApiProblem.notFound("unknown-device", "no device with id " + id);
        }
        return new HistoryPage(history.list(id, page, size), page, size, total);
    }
}
