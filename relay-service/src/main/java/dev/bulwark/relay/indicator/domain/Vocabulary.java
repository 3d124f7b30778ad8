package dev.bulwark.relay.indicator.domain;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The CTIM vocabularies the store keeps values in: dispositions, confidence, severity and TLP. */
public final class Vocabulary {

    public static final int CLEAN = 1;
    public static final int MALICIOUS = 2;
    public static final int SUSPICIOUS = 3;
    public static final int COMMON = 4;
    public static final int UNKNOWN = 5;

    public static final List<String> CONFIDENCES = List.of("Info", "Low", "Medium", "High", "None", "Unknown");
    public static final List<String> SEVERITIES = List.of("Info", "Low", "Medium", "High", "Critical", "None",
            "Unknown");
    public static final List<String> TLPS = List.of("red", "amber", "green", "white");
    public static final String DEFAULT_TLP = "green";

    private static final Map<Integer, String> DISPOSITION_NAMES = Map.of(CLEAN, "Clean", MALICIOUS, "Malicious",
            SUSPICIOUS, "Suspicious", COMMON, "Common", UNKNOWN, "Unknown");

    private Vocabulary() {
    }

    public static String dispositionName(int disposition) {
        return DISPOSITION_NAMES.get(disposition);
    }

    public static boolean isDisposition(int disposition) {
        return DISPOSITION_NAMES.containsKey(disposition);
    }

    /** The vocabulary entry matching {@code value} case-insensitively, or {@code fallback}. */
    public static String pick(List<String> vocabulary, String value, String fallback) {
        if (value == null) {
            return fallback;
        }
        return vocabulary.stream().filter(v -> v.equalsIgnoreCase(value.strip())).findFirst().orElse(fallback);
    }

    /** Maps a 0–100 score (STIX confidence) to CTIM confidence. */
    public static String confidenceOfScore(int score) {
        if (score <= 0) {
            return "None";
        }
        return score < 30 ? "Low" : score < 70 ? "Medium" : "High";
    }

    public static String tlp(String value) {
        return value == null ? DEFAULT_TLP : pick(TLPS, value.toLowerCase(Locale.ROOT).replace("tlp:", ""), DEFAULT_TLP);
    }

    /** The severity a disposition implies when a feed says nothing about it. */
    public static String severityOf(int disposition) {
        return switch (disposition) {
            case MALICIOUS -> "High";
            case SUSPICIOUS -> "Medium";
            case CLEAN, COMMON -> "None";
            default -> "Unknown";
        };
    }
}
