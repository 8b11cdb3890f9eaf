package io.gatehouse.deviceinventory.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place where exceptions become answers, always {@code application/problem+json} (RFC 9457) with a
 * {@code code} and, for bad input, {@code field} (the first bad one) and {@code errors} (all of them).
 * Unexpected exceptions are logged and answered 500 without internals.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<Object> apiProblem(ApiProblem e) {
        return ResponseEntity.status(e.status()).body(problem(e.status(), e.code(), e.getMessage(), e.errors()));
    }

    /** A unique index refused a write that the service's own checks let through (a concurrent writer won). */
    @ExceptionHandler(DuplicateKeyException.class)
    ResponseEntity<Object> duplicate(DuplicateKeyException e) {
        String field = String.valueOf(e.getMessage()).contains("device_certificate") ? "cert_sha256" : "id";
        ApiProblem p = ApiProblem.conflict(field.equals("id") ? "device-exists" : "fingerprint-in-use",
                "a concurrent request wrote the same " + field + "; re-read and retry", field);
        return apiProblem(p);
    }

    /** The database cannot be reached or timed out: 503, so callers (the gateway) retry or fail closed. */
    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class})
    ResponseEntity<Object> storeUnavailable(DataAccessException e) {
        log.warn("database unavailable: {}", e.getMessage());
        HttpStatus s = HttpStatus.SERVICE_UNAVAILABLE;
        return ResponseEntity.status(s).header(HttpHeaders.RETRY_AFTER, "1")
                .body(problem(s, "store-unavailable", "the device store is unavailable; retry", List.of()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException e) {
        return apiProblem(ApiProblem.invalid(e.getName(), "\"" + e.getValue() + "\" is not a valid value"));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e) {
        log.error("unexpected error", e);
        HttpStatus s = HttpStatus.INTERNAL_SERVER_ERROR;
        return ResponseEntity.status(s).body(problem(s, "internal-error", "internal error; see the service log",
                List.of()));
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return apiProblem(fromJackson(ex.getCause()));
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMissingServletRequestParameter(
            MissingServletRequestParameterException ex, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        return apiProblem(ApiProblem.invalid(ex.getParameterName(), "is required"));
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        // Spring's own problems (405, 415, 406...) get a code too, so every answer has the same shape.
        if (body instanceof ProblemDetail pd && (pd.getProperties() == null || !pd.getProperties().containsKey("code"))) {
            pd.setProperty("code", "http-" + statusCode.value());
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    static ApiProblem fromJackson(@Nullable Throwable cause) {
        if (cause instanceof UnrecognizedPropertyException u) {
            return ApiProblem.invalid(path(u), "unknown field; allowed: " + u.getKnownPropertyIds());
        }
        if (cause instanceof InvalidFormatException f) {
            return ApiProblem.invalid(path(f), "\"" + f.getValue() + "\" is not a valid "
                    + describe(f.getTargetType()));
        }
        if (cause instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            return ApiProblem.invalid(path(m), "expected " + describe(m.getTargetType()));
        }
        if (cause instanceof JsonProcessingException j) {
            return new ApiProblem(HttpStatus.BAD_REQUEST, "malformed-json",
                    "malformed JSON: " + j.getOriginalMessage(), List.of());
        }
        return new ApiProblem(HttpStatus.BAD_REQUEST, "malformed-json", "the request body is missing or not JSON",
                List.of());
    }

    private static String describe(@Nullable Class<?> type) {
        if (type == null) {
            return "value";
        }
        return switch (type.getSimpleName()) {
            case "Boolean", "boolean" -> "boolean (true or false)";
            case "String" -> "string";
            case "Instant" -> "timestamp (RFC 3339, e.g. 2026-11-23T08:00:00Z)";
            case "List" -> "array";
            default -> type.getSimpleName();
        };
    }

    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? "(body)" : out.toString();
    }

    static ProblemDetail problem(HttpStatusCode status, String code, String detail, List<ApiProblem.FieldError> errors) {
        ProblemDetail pd = ProblemDetail.forStatusAndDetail(status, detail);
        pd.setProperty("code", code);
        if (!errors.isEmpty()) {
            pd.setProperty("field", errors.get(0).field());
            pd.setProperty("errors", errors.stream().map(f -> Map.of("field", f.field(), "message", f.message()))
                    .toList());
        }
        return pd;
    }
}
