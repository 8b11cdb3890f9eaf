package io.gatehouse.deviceinventory.web;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * A request the API refuses, as a value the handler renders into problem+json: the status, a stable {@code code}
 * for clients and tests ({@code fingerprint-in-use}), a human detail, and the fields at fault (JSON names, with
 * indexes: {@code cert_sha256[1]}). Thrown by services inside the request's transaction, so it rolls it back.
 */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final List<FieldError> errors;

    public ApiProblem(HttpStatus status, String code, String detail, List<FieldError> errors) {
        super(detail);
        this.status = Objects.requireNonNull(status, "status");
        this.code = Objects.requireNonNull(code, "code");
        this.errors = List.copyOf(errors);
    }

    public static ApiProblem invalid(List<FieldError> errors) {
        String detail = errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid";
        return new ApiProblem(HttpStatus.BAD_REQUEST, "invalid-field", detail, errors);
    }

    public static ApiProblem invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    public static ApiProblem notFound(String code, String detail) {
        return new ApiProblem(HttpStatus.NOT_FOUND, code, detail, List.of());
    }

    public static ApiProblem conflict(String code, String detail, @Nullable String field) {
        return new ApiProblem(HttpStatus.CONFLICT, code, detail,
                field == null ? List.of() : List.of(new FieldError(field, detail)));
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** One bad field: its JSON path and what is wrong with it. */
    public record FieldError(String field, String message) {
    }
}
