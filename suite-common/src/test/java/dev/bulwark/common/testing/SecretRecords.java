package dev.bulwark.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the records of a module whose {@code toString} shows a secret: every record class compiled into a classes
 * folder whose component names say they hold one (a password, secret, API key, access token…) is built with a marker
 * in those components and printed; a record that prints a marker leaks that secret into any log line or exception
 * message it reaches. Use {@code Redacted.of} in a hand-written {@code toString}.
 */
public final class SecretRecords {

    private static final Pattern SECRET = Pattern.compile(
            "(?i).*(secret|password|passwd|apikey|privatekey|token|bearer|jobkey|masterkey)");
    /** Names that say the component describes a secret rather than holds one. */
    private static final Pattern ABOUT_A_SECRET = Pattern.compile(
            "(?i).*(field|name|url|uri|id|ids|type|hash|header|path|file|location|ref|length|expires|expiresat|set)");
    private static final String MARKER = "leaked-secret-marker";

    private SecretRecords() {
    }

    /** A record that printed a secret, and what it printed. */
    public record Leak(String record, String component, String printed) {
    }

    /** The leaks of every record under {@code classes} (e.g. {@code target/classes}); empty when there is none. */
    public static List<Leak> leaks(Path classes) {
        List<Leak> leaks = new ArrayList<>();
        for (Class<?> type : records(classes)) {
            RecordComponent[] components = type.getRecordComponents();
            for (RecordComponent component : components) {
                if (holdsSecret(component)) {
                    String printed = print(type, components, component);
                    if (printed != null && printed.contains(MARKER)) {
                        leaks.add(new Leak(type.getName(), component.getName(), printed));
                    }
                }
            }
        }
        return leaks;
    }

    private static boolean holdsSecret(RecordComponent component) {
        String name = component.getName();
        Class<?> type = component.getType();
        boolean textual = type == String.class || type == Optional.class || type == char[].class;
        return textual && SECRET.matcher(name).matches() && !ABOUT_A_SECRET.matcher(name).matches();
    }

    /** The record printed with a marker in {@code secret}; null when no instance could be made with sample values. */
    private static String print(Class<?> type, RecordComponent[] components, RecordComponent secret) {
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = components[i].equals(secret) ? marker(types[i]) : sample(types[i]);
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return String.valueOf(constructor.newInstance(values));
        } catch (InvocationTargetException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getName(), e);
        }
    }

    private static Object marker(Class<?> type) {
        if (type == Optional.class) {
            return Optional.of(MARKER);
        }
        return type == char[].class ? MARKER.toCharArray() : MARKER;
    }

    private static Object sample(Class<?> type) {
        if (type == String.class) {
            return "sample";
        }
        if (type.isPrimitive()) {
            return type == boolean.class ? Boolean.FALSE : type == char.class ? Character.valueOf('x')
                    : Array.get(Array.newInstance(type, 1), 0);
        }
        if (type == UUID.class) {
            return UUID.randomUUID();
        }
        if (type == Instant.class) {
            return Instant.EPOCH;
        }
        if (type == Duration.class) {
            return Duration.ZERO;
        }
        if (type == Optional.class) {
            return Optional.empty();
        }
        if (type.isAssignableFrom(List.class)) {
            return List.of();
        }
        if (type.isAssignableFrom(Set.class)) {
            return Set.of();
        }
        if (type.isAssignableFrom(Map.class)) {
            return Map.of();
        }
        if (Collection.class.isAssignableFrom(type)) {
            return null;
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        if (type.isArray()) {
            return Array.newInstance(type.getComponentType(), 0);
        }
        return null;
    }

    private static List<Class<?>> records(Path classes) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        List<Class<?>> records = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String relative = classes.relativize(file).toString();
                String name = relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
                if (name.endsWith("module-info") || name.endsWith("package-info")) {
                    continue;
                }
                Class<?> type = Class.forName(name, false, loader);
                if (type.isRecord()) {
                    records.add(type);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("cannot load the classes under " + classes, e);
        }
        if (records.isEmpty()) {
            throw new IllegalStateException("no record under " + classes + ": wrong folder?");
        }
        return records;
    }
}
