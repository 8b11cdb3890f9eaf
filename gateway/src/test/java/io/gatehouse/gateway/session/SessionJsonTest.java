package io.gatehouse.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;

class SessionJsonTest {

    private final RedisSerializer<Object> json = SessionJson.serializer();

    @Test
    void valuesWhenWrittenThenJsonTextAndReadBackWithTheirTypes() {
        HashMap<String, ArrayList<String>> claims = new HashMap<>();
        claims.put("dept", new ArrayList<>(List.of("eng")));
        for (Object value : List.of("alice", 1_765_000_000L, 1800, new ArrayList<>(List.of("a", "b")), claims)) {
            byte[] bytes = json.serialize(value);
            assertThat(bytes[0]).isNotEqualTo((byte) 0xAC);
            assertThat(new String(bytes, StandardCharsets.UTF_8)).doesNotContain("\uFFFD");
            Object back = json.deserialize(bytes);
            assertThat(back).isEqualTo(value).hasSameClassAs(value);
        }
    }

    @Test
    void readWhenValueNamesAnotherClassThenRefused() {
        byte[] gadget = "[\"java.net.URL\",\"http://127.0.0.1/\"]".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> json.deserialize(gadget)).isInstanceOf(SerializationException.class);
    }
}
