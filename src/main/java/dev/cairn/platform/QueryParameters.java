package dev.cairn.platform;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.io.ByteArrayOutputStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks every request's query string against what the matched resource method takes, before the
 * method runs: an unknown parameter, a repeated one, a bad escape, a boolean that is not
 * {@code true} or {@code false}, or a number that is not a whole number is a 400 naming it. A
 * method takes the parameters bound by {@link QueryParam} and those it lists in {@link Accepts}
 * (for methods that read the raw query string themselves). So no endpoint ignores what a client
 * asked for.
 */
@Provider
public class QueryParameters implements ContainerRequestFilter {

    /**
     * Query parameters a resource method reads itself, beyond its {@link QueryParam}s; {@code "*"}:
     * any, each checked by the method; {@code "*[]"}: any, also repeated.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    public @interface Accepts {
        String[] value();
    }

    /** What a query parameter takes: any text, a repeatable list, {@code true}/{@code false}, or a whole number. */
    public enum Kind {
        TEXT,
        LIST,
        BOOLEAN,
        INT,
        LONG
    }

    private static final Map<Method, Map<String, Kind>> DECLARED = new ConcurrentHashMap<>();

    @Context
    ResourceInfo resource;

    @Context
    HttpServletRequest request;

    @Override
    public void filter(ContainerRequestContext context) {
        Method method = resource.getResourceMethod();
        if (method == null) {
            return;
        }
        Map<String, Kind> declared = declaredBy(method);
        Map<String, List<String>> given = of(request);
        for (Map.Entry<String, List<String>> parameter : given.entrySet()) {
            String name = parameter.getKey();
            Kind kind = declared.get(name);
            if (kind == null && declared.containsKey("*")) {
                kind = declared.get(
                        "*"); // the method reads every parameter itself and refuses what it does not understand
            }
            if (kind == null) {
                throw new CairnException.BadRequest(
                        ErrorCode.INVALID_PARAMETER,
                        declared.isEmpty()
                                ? "This request takes no query parameters; '" + name + "' is not understood."
                                : "Unknown query parameter '" + name + "'; this request takes "
                                        + String.join(", ", new TreeSet<>(declared.keySet())) + ".");
            }
            if (kind != Kind.LIST && parameter.getValue().size() > 1) {
                throw new CairnException.BadRequest(
                        ErrorCode.INVALID_PARAMETER, "Query parameter '" + name + "' is given more than once.");
            }
            for (String value : parameter.getValue()) {
                if (kind == Kind.BOOLEAN && !value.equals("true") && !value.equals("false")) {
                    throw new CairnException.BadRequest(
                            ErrorCode.INVALID_PARAMETER, "?" + name + "= takes true or false, not '" + value + "'.");
                }
                if ((kind == Kind.INT && !value.matches("-?[0-9]{1,9}"))
                        || (kind == Kind.LONG && !value.matches("-?[0-9]{1,18}"))) {
                    throw new CairnException.BadRequest(
                            ErrorCode.INVALID_PARAMETER, "?" + name + "= takes a whole number, not '" + value + "'.");
                }
            }
        }
    }

    /**
     * The query parameters a resource method takes, by name ({@code "*"}: it reads any others
     * itself), as this filter checks them; the OpenAPI document lists them from here too.
     */
    public static Map<String, Kind> declaredBy(Method method) {
        return DECLARED.computeIfAbsent(method, QueryParameters::declared);
    }

    private static Map<String, Kind> declared(Method method) {
        Map<String, Kind> names = new HashMap<>();
        for (Parameter p : method.getParameters()) {
            QueryParam q = p.getAnnotation(QueryParam.class);
            if (q != null) {
                Class<?> type = p.getType();
                Kind kind = List.class.isAssignableFrom(type) || Set.class.isAssignableFrom(type)
                        ? Kind.LIST
                        : type == boolean.class || type == Boolean.class
                                ? Kind.BOOLEAN
                                : type == int.class || type == Integer.class
                                        ? Kind.INT
                                        : type == long.class || type == Long.class ? Kind.LONG : Kind.TEXT;
                names.put(q.value(), kind);
            }
        }
        for (Accepts accepts : new Accepts[] {
            method.getDeclaringClass().getAnnotation(Accepts.class), method.getAnnotation(Accepts.class)
        }) {
            if (accepts != null) {
                for (String name : accepts.value()) {
                    if (name.equals("*[]")) {
                        names.putIfAbsent("*", Kind.LIST);
                    } else {
                        names.putIfAbsent(name, Kind.TEXT);
                    }
                }
            }
        }
        return names;
    }

    /** The request's query parameters (raw values), parsed once per request. */
    public static Map<String, List<String>> of(HttpServletRequest request) {
        @SuppressWarnings("unchecked")
        Map<String, List<String>> parsed = (Map<String, List<String>>) request.getAttribute(ATTRIBUTE);
        if (parsed == null) {
            parsed = parse(request.getQueryString());
            request.setAttribute(ATTRIBUTE, parsed);
        }
        return parsed;
    }

    private static final String ATTRIBUTE = QueryParameters.class.getName();

    /**
     * The query string's parameters: names decoded, values kept as sent (a list value is split before
     * its items are decoded) but checked, so a bad escape anywhere is a 400. A parameter without '='
     * has the empty value; {@code +} is a space only in form encoding, so it stays a plus here.
     */
    private static Map<String, List<String>> parse(String raw) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            decode(value);
            values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return values;
    }

    /** Percent-decodes one name or value as UTF-8; anything else than well-formed escapes of UTF-8 is a 400. */
    public static String decode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                int hi = i + 1 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                int lo = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new CairnException.BadRequest(
                            ErrorCode.MALFORMED_ESCAPE,
                            "Bad percent-encoding in '" + text + "': '%' is followed by two hex digits.");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                String character = Character.toString(text.codePointAt(i));
                bytes.writeBytes(character.getBytes(StandardCharsets.UTF_8));
                i += character.length() - 1;
            }
        }
        try {
            String decoded = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
            if (decoded.indexOf('\0') >= 0) {
                throw new CairnException.BadRequest("NUL is not allowed in names or values.");
            }
            return decoded;
        } catch (CharacterCodingException e) {
            throw new CairnException.BadRequest(
                    ErrorCode.MALFORMED_ESCAPE, "Percent-escapes in '" + text + "' are not UTF-8.");
        }
    }

    /** A boolean query parameter: {@code true} or {@code false} (any case), the default when absent; 400 otherwise. */
    public static boolean flag(String name, String value, boolean absent) {
        if (value == null) {
            return absent;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new CairnException.BadRequest(
                ErrorCode.INVALID_PARAMETER, "?" + name + "= is true or false, not '" + value + "'.");
    }

    /** A whole-number query parameter between {@code min} and {@code max}, the default when absent; 400 otherwise. */
    public static int number(String name, String value, int absent, int min, int max) {
        if (value == null) {
            return absent;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new CairnException.BadRequest(
                ErrorCode.INVALID_PARAMETER,
                "?" + name + "= is a whole number from " + min + " to " + max + ", not '" + value + "'.");
    }
}
