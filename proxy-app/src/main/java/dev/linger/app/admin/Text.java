package dev.linger.app.admin;

/** Text safe to put in front of an operator: one line, printable, bounded. */
final class Text {

    private static final int MAX_VALUE = 200;

    private Text() {
    }

    /** {@code text} on one line: every line break and control character becomes a space. */
    static String oneLine(String text) {
        StringBuilder line = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            line.append(Character.isISOControl(c) ? ' ' : c);
        }
        return line.toString().strip();
    }

    /** A value the client sent, quoted for an error line: one line, and cut short if it is long. */
    static String quote(String value) {
        String line = oneLine(value);
        return "'" + (line.length() > MAX_VALUE ? line.substring(0, MAX_VALUE) + "..." : line) + "'";
    }
}
