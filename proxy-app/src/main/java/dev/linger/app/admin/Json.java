package dev.linger.app.admin;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * The little JSON the admin API writes, by hand: strings (escaped per RFC 8259), numbers, arrays and
 * objects of those. Not worth a library for a few flat documents.
 */
final class Json {

    private Json() {
    }

    /** {@code value} as a JSON string literal; null becomes {@code null}. */
    static String string(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder json = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }

    /** An array of strings. */
    static String strings(Collection<String> values) {
        StringBuilder json = new StringBuilder("[");
        Iterator<String> it = values.iterator();
        while (it.hasNext()) {
            json.append(string(it.next()));
            if (it.hasNext()) {
                json.append(',');
            }
        }
        return json.append(']').toString();
    }

    /** An object whose values are already JSON, in the map's iteration order. */
    static String object(Map<String, String> members) {
        StringBuilder json = new StringBuilder("{");
        Iterator<Map.Entry<String, String>> it = members.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, String> member = it.next();
            json.append(string(member.getKey())).append(':').append(member.getValue());
            if (it.hasNext()) {
                json.append(',');
            }
        }
        return json.append('}').toString();
    }

    /** An array whose elements are already JSON. */
    static String array(Collection<String> elements) {
        return "[" + String.join(",", elements) + "]";
    }
}
