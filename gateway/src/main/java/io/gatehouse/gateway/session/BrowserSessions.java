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
 * session id (no fixation). Pre-login sessions (logins in progress) live in a repository of their own (in memory:
 * a store with its own cap, so anonymous visitors can never evict a signed-in user; Redis: the same one, every key
 * with a TTL) with their own, short lifetime, and each keeps at most {@code maxLoginAttempts} attempts, the oldest
 * going first (issue 16, item 1): one pre-login cookie cannot collect attempts without limit.
 */
public final class BrowserSessions {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BrowserSessions.class);

    /** The names of a pre-login session's attempts, oldest first, space-separated. */
    static final String ATTEMPT_ORDER = "gatehouse.login.order";

    private final ReactiveSessionRepository<Session> repository;
    private final ReactiveSessionRepository<Session> logins;
    private final Duration maxAge;
    private final SessionIndex index;
    private final int maxLoginAttempts;
    private final @Nullable SessionEvents events;

    /** Sessions and pre-login sessions in one repository, {@value SessionStoreProperties#DEFAULT_MAX_LOGIN_ATTEMPTS} attempts each. */
    public BrowserSessions(ReactiveSessionRepository<? extends Session> repository, SessionIndex index, Duration maxAge) {
        this(repository, repository, index, maxAge, SessionStoreProperties.DEFAULT_MAX_LOGIN_ATTEMPTS);
    }

    public BrowserSessions(ReactiveSessionRepository<? extends Session> repository,
                           ReactiveSessionRepository<? extends Session> logins, SessionIndex index, Duration maxAge,
                           int maxLoginAttempts) {
        this(repository, logins, index, maxAge, maxLoginAttempts, null);
    }

    /** As above; every session deleted or ended is told to {@code events} (null: to nobody). */
    @SuppressWarnings("unchecked")
    public BrowserSessions(ReactiveSessionRepository<? extends Session> repository,
                           ReactiveSessionRepository<? extends Session> logins, SessionIndex index, Duration maxAge,
                           int maxLoginAttempts, @Nullable SessionEvents events) {
        this.events = events;
        this.repository = (ReactiveSessionRepository<Session>) Objects.requireNonNull(repository, "repository");
        this.logins = (ReactiveSessionRepository<Session>) Objects.requireNonNull(logins, "logins");
        this.index = Objects.requireNonNull(index, "index");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        if (maxLoginAttempts < 1) {
            throw new IllegalArgumentException("maxLoginAttempts must be at least 1, found " + maxLoginAttempts);
        }
        this.maxLoginAttempts = maxLoginAttempts;
    }

    /** The single-use claims (login attempts, back-channel logout token ids), shared by every replica. */
    public SessionIndex index() {
        return index;
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
        return readable(repository, id).mapNotNull(SessionFacts::readFrom);
    }

    /** Replaces the facts of an existing session (after a refresh). */
    public Mono<Void> update(String id, SessionFacts facts) {
        return readable(repository, id).flatMap(session -> {
            facts.writeTo(session);
            return repository.save(session);
        });
    }

    /** Deletes the session (logout, a login replacing it, its end) and tells every replica ({@link SessionEvents}). */
    public Mono<Void> delete(String id) {
        return repository.deleteById(id).then(ended(SessionEvents.Kind.LOGOUT, id));
    }

    private Mono<Void> ended(SessionEvents.Kind kind, String id) {
        return events == null ? Mono.empty() : events.publish(new SessionEvents.Ended(kind, hash(id)));
    }

    /** Ends every session of the IdP session {@code sid} and, when given, of the user {@code sub}; emits how many. */
    public Mono<Integer> endAll(@Nullable String sid, @Nullable String sub) {
        Flux<String> ids = Flux.concat(sid == null ? Flux.empty() : index.take(SessionIndex.sid(sid)),
                sub == null ? Flux.empty() : index.take(SessionIndex.sub(sub))).distinct();
        // Count only sessions that still existed: the index may name sessions that ended on their own.
        return ids.concatMap(id -> readable(repository, id).flatMap(s -> repository.deleteById(id)
                        .then(ended(SessionEvents.Kind.BACKCHANNEL_LOGOUT, id)).thenReturn(1)))
                .count().map(Long::intValue);
    }

    /** A pre-login session holding {@code attributes}, ending after {@code lifetime}. */
    public Mono<String> createLogin(Map<String, String> attributes, Duration lifetime) {
        return logins.createSession().flatMap(session -> {
            attributes.forEach((name, value) -> addAttempt(session, name, value));
            session.setMaxInactiveInterval(lifetime);
            return logins.save(session).thenReturn(session.getId());
        });
    }

    /**
     * Reads and removes one attribute of a pre-login session (single use); empty when absent or already taken. Two
     * callbacks may read the session before either saves it (a replayed callback, another replica): the attribute
     * is also claimed in the index, in one atomic step, and only the claim's winner gets it.
     */
    public Mono<String> takeLoginAttribute(String loginId, String name) {
        return readable(logins, loginId).flatMap(session -> {
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
                session.setAttribute(ATTEMPT_ORDER, String.join(" ", order(session).stream()
                        .filter(n -> !n.equals(name)).toList()));
                return logins.save(session).thenReturn(value);
            });
        });
    }

    /**
     * Adds an attempt to an existing pre-login session, dropping its oldest attempts beyond
     * {@code maxLoginAttempts}; emits false when that session is gone.
     */
    public Mono<Boolean> addLoginAttribute(String loginId, String name, String value) {
        return readable(logins, loginId).flatMap(session -> {
            addAttempt(session, name, value);
            return logins.save(session).thenReturn(true);
        }).defaultIfEmpty(false);
    }

    private void addAttempt(Session session, String name, String value) {
        java.util.ArrayList<String> order = new java.util.ArrayList<>(order(session));
        order.remove(name);
        order.add(name);
        session.setAttribute(name, value);
        while (order.size() > maxLoginAttempts) {
            session.removeAttribute(order.remove(0));
        }
        session.setAttribute(ATTEMPT_ORDER, String.join(" ", order));
    }

    private static java.util.List<String> order(Session session) {
        String order = session.getAttribute(ATTEMPT_ORDER);
        return order == null || order.isBlank() ? java.util.List.of() : java.util.List.of(order.split(" "));
    }

    /**
     * The session {@code id}, or empty when it is unknown or cannot be read: a session written in another format
     * (JDK serialization, before attributes were JSON; or tampered with) is deleted and counts as no session, so an
     * upgrade signs those users out instead of failing their requests.
     */
    private static Mono<Session> readable(ReactiveSessionRepository<Session> repository, String id) {
        return repository.findById(id).onErrorResume(BrowserSessions::unreadable, e -> {
            LOG.info("session {} cannot be read ({}); deleting it", hash(id), e.toString());
            return repository.deleteById(id).then(Mono.empty());
        });
    }

    private static boolean unreadable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof org.springframework.data.redis.serializer.SerializationException
                    || t instanceof ClassCastException) {
                return true;
            }
        }
        return false;
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
