package dev.cairn.web.control;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.text.TextContentRenderer;

/**
 * Chaise's markdown patterns ({@code markdown_pattern} of {@code column-display} and of a
 * visible-columns entry's {@code display}): a Mustache template over the row, where
 * {@code {{{col}}}} is the column's formatted value, {@code {{{_col}}}} its raw value (JSON
 * navigable), {@code {{#encode}}} and {@code {{#escape}}} blocks URL-encode and markdown-escape,
 * and a pattern without blocks that names an empty column is empty as a whole (ERMrestJS's null
 * handling). The markdown is then rendered to HTML with CommonMark: raw HTML in the pattern or the
 * values is escaped, not passed through, and link targets other than http(s), mailto and relative
 * ones are dropped, since annotation authors and row values must not be able to script the page.
 * Partials ({@code {{> file}}}) are refused: a pattern may not read files.
 */
public final class Markdown {

    /** The variables a pattern names: {@code {{name}}} or {@code {{{name}}}}, not blocks, partials or comments. */
    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\{?\\s*([^#^/!>&{}\\s][^{}]*?)\\s*}?}}");

    private static final Parser PARSER = Parser.builder().build();
    private static final HtmlRenderer RENDERER =
            HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();
    private static final TextContentRenderer TEXT =
            TextContentRenderer.builder().build();
    private static final int CACHED = 512;
    private static final Map<String, Optional<Mustache>> COMPILED = new ConcurrentHashMap<>();
    private static final String MARKDOWN_SPECIALS = "{}[]()#*!.+-`/><_\\|";

    private Markdown() {}

    /** A factory whose templates cannot include other files. */
    private static final class Sealed extends DefaultMustacheFactory {
        @Override
        public Reader getReader(String resourceName) {
            throw new MustacheException("A markdown pattern may not include '" + resourceName + "'.");
        }
    }

    /**
     * The pattern expanded over {@code env} and rendered as inline HTML; empty when the pattern
     * cannot be compiled, or when it has no blocks and names a variable that is null or empty.
     */
    public static Optional<String> render(String pattern, Map<String, Object> env) {
        return expand(pattern, env).map(Markdown::html);
    }

    /** The pattern expanded over {@code env}, as markdown (see {@link #render}). */
    public static Optional<String> expand(String pattern, Map<String, Object> env) {
        if (pattern == null) {
            return Optional.empty();
        }
        if (!pattern.contains("{{#") && !pattern.contains("{{^")) {
            Matcher m = VARIABLE.matcher(pattern);
            while (m.find()) {
                Object value = lookup(env, m.group(1));
                if (value == null || value.toString().isEmpty()) {
                    return Optional.empty();
                }
            }
        }
        Optional<Mustache> template = compiled(pattern);
        if (template.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> scope = new LinkedHashMap<>(env);
        scope.put("encode", (Function<String, String>) Markdown::encode);
        scope.put("escape", (Function<String, String>) Markdown::escape);
        StringWriter out = new StringWriter();
        try {
            template.get().execute(out, scope);
        } catch (MustacheException e) {
            return Optional.empty();
        }
        String markdown = out.toString().strip();
        return markdown.isEmpty() ? Optional.empty() : Optional.of(markdown);
    }

    private static Optional<Mustache> compiled(String pattern) {
        Optional<Mustache> kept = COMPILED.get(pattern);
        if (kept != null) {
            return kept;
        }
        Optional<Mustache> made;
        try {
            made = Optional.of(new Sealed().compile(new StringReader(pattern), "markdown_pattern"));
        } catch (MustacheException e) {
            made = Optional.empty();
        }
        if (COMPILED.size() >= CACHED) {
            COMPILED.clear(); // patterns come from annotations: few, so this is rare
        }
        COMPILED.put(pattern, made);
        return made;
    }

    /** Markdown as inline HTML: a lone paragraph loses its {@code <p>}. */
    public static String html(String markdown) {
        String html = RENDERER.render(PARSER.parse(markdown)).strip();
        if (html.startsWith("<p>") && html.endsWith("</p>") && html.indexOf("<p>", 3) < 0) {
            html = html.substring(3, html.length() - 4);
        }
        return html;
    }

    /** Markdown as plain text (a row's name where only text fits: a link's label, an option). */
    public static String text(String markdown) {
        return TEXT.render(PARSER.parse(markdown)).strip();
    }

    /**
     * The environment of a row: each column's formatted value by name (null when the value is),
     * and its raw value as {@code _name} (JSON objects and arrays as maps and lists).
     */
    public static Map<String, Object> env(JsonObject row, Function<String, String> formatted) {
        Map<String, Object> env = new LinkedHashMap<>();
        row.forEach((name, value) -> {
            boolean nothing = value == null || value.getValueType() == JsonValue.ValueType.NULL;
            env.put(name, nothing ? null : formatted.apply(name));
            env.put("_" + name, plain(value));
        });
        return env;
    }

    /** A JSON value as Mustache navigates it. */
    static Object plain(JsonValue value) {
        if (value == null) {
            return null;
        }
        return switch (value.getValueType()) {
            case NULL -> null;
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case STRING -> ((JsonString) value).getString();
            case NUMBER -> ((JsonNumber) value).numberValue();
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                ((JsonArray) value).forEach(v -> list.add(plain(v)));
                yield list;
            }
            case OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                ((JsonObject) value).forEach((k, v) -> map.put(k, plain(v)));
                yield map;
            }
        };
    }

    private static Object lookup(Map<String, Object> env, String name) {
        if (env.containsKey(name)) {
            return env.get(name);
        }
        Object at = env;
        for (String part : name.split("\\.")) {
            if (!(at instanceof Map<?, ?> map)) {
                return null;
            }
            at = map.get(part);
        }
        return at;
    }

    /**
     * A value as {@code pre_format} shapes it: booleans by {@code bool_true_value} and
     * {@code bool_false_value}, numbers by a printf {@code format}; else (or when the format does
     * not fit the value) the value as it would show.
     */
    public static String preFormat(JsonObject preFormat, JsonValue raw, String shown) {
        if (preFormat == null || raw == null) {
            return shown;
        }
        if (raw.getValueType() == JsonValue.ValueType.TRUE
                && preFormat.get("bool_true_value") instanceof JsonString t) {
            return t.getString();
        }
        if (raw.getValueType() == JsonValue.ValueType.FALSE
                && preFormat.get("bool_false_value") instanceof JsonString f) {
            return f.getString();
        }
        if (!(preFormat.get("format") instanceof JsonString format) || raw.getValueType() == JsonValue.ValueType.NULL) {
            return shown;
        }
        Object argument = raw instanceof JsonNumber n
                ? (n.isIntegral() && !format.getString().matches(".*%[-+ 0#,(]*\\d*(\\.\\d+)?[eEfgGaA].*")
                        ? (Object) n.longValueExact()
                        : (Object) n.doubleValue())
                : raw instanceof JsonString s ? s.getString() : raw.toString();
        try {
            return String.format(Locale.ROOT, format.getString(), argument);
        } catch (IllegalFormatException | ArithmeticException e) {
            return shown;
        }
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char ch : text.toCharArray()) {
            if (MARKDOWN_SPECIALS.indexOf(ch) >= 0) {
                out.append('\\');
            }
            out.append(ch);
        }
        return out.toString();
    }
}
