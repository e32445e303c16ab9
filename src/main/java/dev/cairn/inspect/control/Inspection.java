package dev.cairn.inspect.control;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * What an inspection found: {@code info}, the properties recorded with the asset (in its
 * {@code File_Info}, always with an {@code inspection} member saying how the reading went), the
 * asset kind the bytes suggest (null when they suggest none), and for a JSON or YAML config its
 * parsed {@code content}, for validation (null otherwise; never stored).
 */
public record Inspection(JsonObject info, String suggestedKind, JsonValue content) {}
