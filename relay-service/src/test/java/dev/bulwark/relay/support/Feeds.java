package dev.bulwark.relay.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The sample feeds under {@code src/test/resources/feeds/}, with their placeholders filled per test. */
public final class Feeds {

    private Feeds() {
    }

    public static String sample(String name, Map<String, String> values) {
        String text;
        try (InputStream in = Feeds.class.getResourceAsStream("/feeds/" + name)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<String, String> value : values.entrySet()) {
            text = text.replace("${" + value.getKey() + "}", value.getValue());
        }
        return text;
    }
}
