package io.gatehouse.verifier.servlet;

import io.gatehouse.verifier.UnauthorizedResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** What the servlet adapters read from a request and how they answer 401. */
public final class ServletRequests {
    private ServletRequests() {}

    /** The Host the request arrived with (host and port as sent), or the server name when absent. */
    public static String host(HttpServletRequest request) {
        String host = request.getHeader("Host");
        return host != null ? host : request.getServerName();
    }

    public static void writeUnauthorized(HttpServletResponse response, UnauthorizedResponse answer) throws IOException {
        response.setStatus(UnauthorizedResponse.STATUS);
        response.setHeader("WWW-Authenticate", answer.wwwAuthenticate());
        response.setHeader("Cache-Control", "no-store");
        response.setContentType(UnauthorizedResponse.CONTENT_TYPE);
        response.getOutputStream().write(answer.body().getBytes(StandardCharsets.UTF_8));
    }
}
