package io.gatehouse.k8s.launch;

/** A rendered pod that would not start or not become ready, with the reason in a sentence (and the log's tail). */
final class LaunchFailure extends RuntimeException {

    LaunchFailure(String message) {
        super(message);
    }
}
