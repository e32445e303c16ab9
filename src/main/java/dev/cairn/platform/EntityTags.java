package dev.cairn.platform;

import java.util.Arrays;

/** {@code If-Match} and {@code If-None-Match} lists: {@code *} or comma-separated entity tags. */
public final class EntityTags {

    private EntityTags() {}

    /** True when the header names the (quoted) tag, or is {@code *}; weak tags compare by value. */
    public static boolean matches(String header, String quotedTag) {
        if (header.trim().equals("*")) {
            return true;
        }
        return Arrays.stream(header.split(","))
                .map(String::trim)
                .map(t -> t.startsWith("W/") ? t.substring(2) : t)
                .anyMatch(quotedTag::equals);
    }
}
