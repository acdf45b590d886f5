package io.faultline.chaos.toxiproxy;

/** An API error with the real server's status and message; rendered as {"error":...,"status":...}. */
final class ApiException extends RuntimeException {
    final int status;

    ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static ApiException badBody(String detail) {
        return new ApiException(400, "bad request body: " + detail);
    }

    static ApiException proxyNotFound() {
        return new ApiException(404, "proxy not found");
    }

    static ApiException toxicNotFound() {
        return new ApiException(404, "toxic not found");
    }
}
