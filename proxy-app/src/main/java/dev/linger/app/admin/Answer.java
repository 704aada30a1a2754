package dev.linger.app.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the admin API answers to one request: status, content type, body and extra headers. Built by
 * {@link AdminApi}, turned into an HTTP response by {@link AdminHandler}.
 */
record Answer(HttpResponseStatus status, String contentType, String body, Map<String, String> headers) {

    static final String TEXT = "text/plain; charset=utf-8";
    static final String JSON = "application/json";

    Answer {
        headers = Map.copyOf(headers);
    }

    /** One line of text: every error, and the health answers. */
    static Answer text(HttpResponseStatus status, String line) {
        return new Answer(status, TEXT, Text.oneLine(line) + "\n", Map.of());
    }

    static Answer json(HttpResponseStatus status, String json) {
        return new Answer(status, JSON, json + "\n", Map.of());
    }

    Answer withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Answer(status, contentType, body, more);
    }
}
