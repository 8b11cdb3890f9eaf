package io.gatehouse.k8s.launch;

/** What {@code curl -sS -D -} printed: the response headers, then the body; the status from the last status line. */
final class Curl {

    private Curl() {
    }

    record Result(int status, String headers, String body) {
        static Result parse(String out) {
            int split = out.indexOf("\r\n\r\n");
            String head = split < 0 ? out : out.substring(0, split);
            String body = split < 0 ? "" : out.substring(split + 4);
            String statusLine = head.lines().findFirst().orElse("");
            String[] parts = statusLine.split(" ");
            int status = parts.length > 1 && parts[1].matches("\\d{3}") ? Integer.parseInt(parts[1]) : -1;
            return new Result(status, head, body);
        }
    }
}
