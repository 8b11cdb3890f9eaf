package io.gatehouse.gateway.session;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import java.util.ArrayList;
import java.util.HashMap;
import org.springframework.data.redis.serializer.GenericJackson2JsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * The session attributes in Redis as JSON (issue 18, item 1), not JDK serialization: what a session holds
 * ({@link SessionFacts}: strings, epoch seconds, lists of strings, a map of lists; the pre-login attempts: strings;
 * Spring Session's own times) is written with the minimum of type information Jackson needs to read it back
 * ({@code ["java.lang.Long",1765000000]}, {@code ["java.util.ArrayList",["a"]]}). Only those types are accepted when
 * reading: a value naming any other class is refused, so a tampered Redis cannot make the gateway build arbitrary
 * objects.
 */
final class SessionJson {

    private SessionJson() {
    }

    static RedisSerializer<Object> serializer() {
        BasicPolymorphicTypeValidator allowed = BasicPolymorphicTypeValidator.builder()
                .allowIfSubType(String.class).allowIfSubType(Long.class).allowIfSubType(Integer.class)
                .allowIfSubType(Boolean.class).allowIfSubType(Double.class)
                .allowIfSubType(ArrayList.class).allowIfSubType(HashMap.class)
                .build();
        ObjectMapper mapper = new ObjectMapper();
        mapper.activateDefaultTyping(allowed, ObjectMapper.DefaultTyping.EVERYTHING, JsonTypeInfo.As.PROPERTY);
        return new GenericJackson2JsonRedisSerializer(mapper);
    }
}
