package dev.cairn.platform;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads JSON object request bodies ({@link JsonObject} parameters) for every resource, in place of
 * the container's reader, which answers a JSON array with an error page: an empty body is null (the
 * resource says whether it needs one), a body of the wrong
 * JSON type, malformed JSON, trailing content or a body over 16 MiB is a 400 problem, never a
 * container error page. Also the strict field checks the resources share.
 */
@Provider
@Consumes({MediaType.APPLICATION_JSON, "application/*+json", "text/json"})
public class JsonBodies implements MessageBodyReader<JsonObject> {

    private static final int MAX = 16 << 20;

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == JsonObject.class;
    }

    @Override
    public JsonObject readFrom(
            Class<JsonObject> type,
            Type genericType,
            Annotation[] annotations,
            MediaType mediaType,
            MultivaluedMap<String, String> headers,
            InputStream body) {
        JsonValue value = parse(text(body, MAX));
        if (value != null && !(value instanceof JsonObject)) {
            throw new CairnException.BadRequest(ErrorCode.INVALID_JSON, "The body must be a JSON object.");
        }
        return (JsonObject) value;
    }

    /** A request body as UTF-8 text of at most {@code max} bytes; more, or bytes that are not UTF-8, is a 400. */
    public static String text(InputStream body, int max) {
        try {
            byte[] bytes = body.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new CairnException.BadRequest("This request's body is at most "
                        + (max >= 1 << 20 ? (max >> 20) + " MiB" : (max >> 10) + " KiB") + ".");
            }
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CairnException.BadRequest(ErrorCode.INVALID_JSON, "The body is not UTF-8.");
        } catch (IOException e) {
            throw new CairnException.BadRequest("The body could not be read: " + e.getMessage());
        }
    }

    /**
     * JSON-P's provider, looked up once: every static {@code Json.create...} call looks it up
     * again, scanning the class path for service files (a profile of registry queries showed
     * most of their CPU there). Cairn's code builds and parses JSON through this one.
     */
    public static final JsonProvider JSON = JsonProvider.provider();

    /** One JSON value (null for a blank body); malformed JSON or anything after the value is a 400. */
    public static JsonValue parse(String text) {
        if (text.isBlank()) {
            return null;
        }
        try (var reader = JSON.createReader(new StringReader(text))) {
            return reader.readValue();
        } catch (JsonException | IllegalStateException e) {
            throw new CairnException.BadRequest(
                    ErrorCode.INVALID_JSON, "The body is not valid JSON: " + e.getMessage());
        }
    }

    /**
     * 400 naming the first field of {@code object} not among {@code fields}: nothing a client sends is
     * dropped in silence.
     */
    public static void only(JsonObject object, String what, String... fields) {
        List<String> allowed = List.of(fields);
        for (String field : object.keySet()) {
            if (!allowed.contains(field)) {
                throw new CairnException.BadRequest(
                        ErrorCode.INVALID_JSON,
                        what + " has no field \"" + field + "\"; it takes " + String.join(", ", allowed) + ".");
            }
        }
    }

    /** A string field that may be absent or null (then null); any other JSON type is a 400. */
    public static String optionalString(JsonObject object, String field) {
        JsonValue value = object.get(field);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonString s)) {
            throw new CairnException.BadRequest(ErrorCode.INVALID_JSON, "\"" + field + "\" must be a string.");
        }
        return s.getString();
    }

    /** A boolean field that may be absent or null (then null); any other JSON type is a 400. */
    public static Boolean optionalBoolean(JsonObject object, String field) {
        JsonValue value = object.get(field);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value != JsonValue.TRUE && value != JsonValue.FALSE) {
            throw new CairnException.BadRequest(ErrorCode.INVALID_JSON, "\"" + field + "\" must be true or false.");
        }
        return value == JsonValue.TRUE;
    }

    /** An array of strings that may be absent or null (then null); anything else is a 400. */
    public static List<String> optionalStrings(JsonObject object, String field) {
        JsonValue value = object.get(field);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonArray array) || !array.stream().allMatch(v -> v instanceof JsonString)) {
            throw new CairnException.BadRequest(
                    ErrorCode.INVALID_JSON, "\"" + field + "\" must be an array of strings.");
        }
        return array.stream().map(v -> ((JsonString) v).getString()).toList();
    }

    /** A required, non-blank string field; 400 otherwise. */
    public static String required(JsonObject object, String field) {
        String value = optionalString(object, field);
        if (value == null || value.isBlank()) {
            throw new CairnException.BadRequest("\"" + field + "\" is required.");
        }
        return value;
    }

    /** An array of strings, empty (and changeable) when absent or null; anything else is a 400. */
    public static List<String> strings(JsonObject object, String field) {
        List<String> given = optionalStrings(object, field);
        return given == null ? new ArrayList<>() : new ArrayList<>(given);
    }

    /** The request's JSON object; 400 when there is none, or when it has a field not among {@code fields}. */
    public static JsonObject object(JsonObject body, String example, String... fields) {
        if (body == null) {
            throw new CairnException.BadRequest("Send a JSON body such as " + example + ".");
        }
        only(body, "The request", fields);
        return body;
    }

    /** An ISO-8601 time with offset that may be absent or null (then null); anything else is a 400. */
    public static OffsetDateTime optionalTime(JsonObject object, String field) {
        String text = optionalString(object, field);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            throw new CairnException.BadRequest(
                    ErrorCode.INVALID_JSON,
                    "\"" + field + "\" is an ISO-8601 time with offset, such as 2027-01-31T00:00:00Z.");
        }
    }
}
