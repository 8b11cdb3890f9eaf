package io.gatehouse.gateway.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The session store: a Spring Session {@link ReactiveSessionRepository} plus a {@link SessionIndex} from the IdP's
 * {@code sid} and {@code sub} to session ids, so back-channel logout can end every session of a login. Every login gets a NEW
 * session id (no fixation). Pre-login sessions (logins in progress) live in the same repository with their own,
 * short lifetime.
 */
public final class BrowserSessions {

    private final ReactiveSessionRepository<Session> repository;
    private final Duration maxAge;
    private final SessionIndex index;

    @SuppressWarnings("unchecked")
    public BrowserSessions(ReactiveSessionRepository<? extends Session> repository, SessionIndex index, Duration maxAge) {
        this.repository = (ReactiveSessionRepository<Session>) Objects.requireNonNull(repository, "repository");
        this.index = Objects.requireNonNull(index, "index");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    }

    /** How long a session lives at most after login. */
    public Duration maxAge() {
        return maxAge;
    }

    /** A new session holding {@code facts}; its id is new, whatever the browser held before. */
    public Mono<String> create(SessionFacts facts) {
        return repository.createSession().flatMap(session -> {
            facts.writeTo(session);
            session.setMaxInactiveInterval(maxAge);
            return repository.save(session).then(index(session.getId(), facts)).thenReturn(session.getId());
        });
    }

    /** The facts of a live login session; empty when unknown, expired or not a login session. */
    public Mono<SessionFacts> find(String id) {
        return repository.findById(id).mapNotNull(SessionFacts::readFrom);
    }

    /** Replaces the facts of an existing session (after a refresh). */
    public Mono<Void> update(String id, SessionFacts facts) {
        return repository.findById(id).flatMap(session -> {
            facts.writeTo(session);
            return repository.save(session);
        });
    }

    public Mono<Void> delete(String id) {
        return repository.deleteById(id);
    }

    /** Ends every session of the IdP session {@code sid} and, when given, of the user {@code sub}; emits how many. */
    public Mono<Integer> endAll(@Nullable String sid, @Nullable String sub) {
        Flux<String> ids = Flux.concat(sid == null ? Flux.empty() : index.take(SessionIndex.sid(sid)),
                sub == null ? Flux.empty() : index.take(SessionIndex.sub(sub))).distinct();
        // Count only sessions that still existed: the index may name sessions that ended on their own.
        return ids.concatMap(id -> repository.findById(id).flatMap(s -> repository.deleteById(id).thenReturn(1)))
                .count().map(Long::intValue);
    }

    /** A pre-login session holding {@code attributes}, ending after {@code lifetime}. */
    public Mono<String> createLogin(Map<String, String> attributes, Duration lifetime) {
        return repository.createSession().flatMap(session -> {
            attributes.forEach(session::setAttribute);
            session.setMaxInactiveInterval(lifetime);
            return repository.save(session).thenReturn(session.getId());
        });
    }

    /**
     * Reads and removes one attribute of a pre-login session (single use); empty when absent or already taken. Two
     * callbacks may read the session before either saves it (a replayed callback, another replica): the attribute
     * is also claimed in the index, in one atomic step, and only the claim's winner gets it.
     */
    public Mono<String> takeLoginAttribute(String loginId, String name) {
        return repository.findById(loginId).flatMap(session -> {
            String value = session.getAttribute(name);
            if (value == null) {
                return Mono.<String>empty();
            }
            Duration lifetime = session.getMaxInactiveInterval();
            return index.claim(SessionIndex.taken(hash(loginId + "\n" + name)), lifetime).flatMap(won -> {
                if (!won) {
                    return Mono.<String>empty();
                }
                session.removeAttribute(name);
                return repository.save(session).thenReturn(value);
            });
        });
    }

    /** Adds an attribute to an existing pre-login session; emits false when that session is gone. */
    public Mono<Boolean> addLoginAttribute(String loginId, String name, String value) {
        return repository.findById(loginId).flatMap(session -> {
            session.setAttribute(name, value);
            return repository.save(session).thenReturn(true);
        }).defaultIfEmpty(false);
    }

    /** The session id as the decision log shows it: hex SHA-256, first 32 characters; never the id itself. */
    public static String hash(String sessionId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private Mono<Void> index(String id, SessionFacts facts) {
        Mono<Void> bySid = facts.sid() == null ? Mono.empty() : index.add(SessionIndex.sid(facts.sid()), id, maxAge);
        return bySid.then(index.add(SessionIndex.sub(facts.sub()), id, maxAge));
    }
}
