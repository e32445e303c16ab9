package dev.cairn.platform;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource method that takes POST only because its query does not fit a URL (AIOS's
 * {@code POST /assets}): it changes nothing, so it is treated as a read (not a write for the audit
 * log; refusals are still recorded).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ReadByPost {}
