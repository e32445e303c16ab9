package dev.cairn.platform;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;

/**
 * Reads JSON object request bodies ({@link JsonObject} parameters) for every resource, in place of
 * the container's reader, which answers a JSON array with an error page: an empty body is null (the resource says whether it needs one), a body of the wrong
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
    public JsonObject readFrom(Class<JsonObject> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                              MultivaluedMap<String, String> headers, InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX + 1);
        if (bytes.length > MAX) {
            throw new CairnException.BadRequest("A JSON body is at most " + (MAX >> 20) + " MiB here.");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return null;
        }
        JsonValue value;
        try (var reader = Json.createReader(new java.io.StringReader(text))) {
            value = reader.readValue();
        } catch (JsonException | IllegalStateException e) {
            throw new CairnException.BadRequest("The body is not valid JSON: " + e.getMessage());
        }
        if (!(value instanceof JsonObject object)) {
            throw new CairnException.BadRequest("The body must be a JSON object.");
        }
        return object;
    }

    /** 400 naming the first field of {@code object} not among {@code fields}: nothing a client sends is dropped in silence. */
    public static void only(JsonObject object, String what, String... fields) {
        List<String> allowed = List.of(fields);
        for (String field : object.keySet()) {
            if (!allowed.contains(field)) {
                throw new CairnException.BadRequest(what + " has no field \"" + field + "\"; it takes " + String.join(", ", allowed) + ".");
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
            throw new CairnException.BadRequest("\"" + field + "\" must be a string.");
        }
        return s.getString();
    }
}
