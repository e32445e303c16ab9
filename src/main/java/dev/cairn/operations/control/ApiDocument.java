package dev.cairn.operations.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.cairn.platform.QueryParameters;
import dev.cairn.platform.Routes;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cairn's OpenAPI 3.1 document: the prose, bodies and responses written by hand in
 * {@code openapi.yaml} beside this class, merged with what the JAX-RS resources themselves say, so
 * that paths, methods and parameters cannot drift from the code. For every resource method the
 * merge adds its operation if the written document lacks it (a test refuses the build then), its
 * path, query and header parameters with their types, a request body where the method reads one,
 * the {@code default} problem response and an {@code operationId}. The resources are the classes
 * under {@code WEB-INF/classes} with a {@code @Path}, read through the servlet context, so the
 * document is the same on any server.
 */
public final class ApiDocument {

    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    public static final ObjectMapper JSON = new ObjectMapper();

    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}]+)}");
    /** Built once per deployment, on first use. */
    private static volatile ObjectNode document;

    private ApiDocument() {}

    /** One operation a resource class serves: its HTTP method, template and Java method. */
    public record Operation(String httpMethod, String path, Class<?> type, Method method) {}

    /** Every operation of the given resource classes, in path order. */
    public static List<Operation> operations(Iterable<Class<?>> resources) {
        List<Operation> operations = new ArrayList<>();
        for (Class<?> type : resources) {
            if (type.getAnnotation(Path.class) == null) {
                continue;
            }
            for (Method method : type.getMethods()) {
                String verb = httpMethod(method);
                if (verb != null) {
                    operations.add(new Operation(verb, Routes.template(type, method), type, method));
                }
            }
        }
        operations.sort(Comparator.comparing(Operation::path).thenComparing(Operation::httpMethod));
        return operations;
    }

    private static String httpMethod(Method method) {
        for (Annotation a : method.getAnnotations()) {
            HttpMethod verb = a.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    /** The written document merged with the resources' operations (servers left to the caller). */
    public static ObjectNode build(String version, Iterable<Class<?>> resources) {
        ObjectNode document;
        try (InputStream in = ApiDocument.class.getResourceAsStream("openapi.yaml")) {
            document = (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("openapi.yaml is not readable", e);
        }
        ((ObjectNode) document.get("info")).put("version", version);
        ObjectNode paths = document.withObject("/paths");
        for (Operation operation : operations(resources)) {
            ObjectNode path = paths.withObject("/" + escape(operation.path()));
            Set<String> named = new LinkedHashSet<>();
            path.path("parameters").forEach(p -> named.add(nameOf(document, p)));
            merge(document, path.withObject("/" + operation.httpMethod().toLowerCase(Locale.ROOT)), operation, named);
        }
        return document;
    }

    /** A path as a JSON pointer segment. */
    private static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }

    /** A parameter's {@code in:name}, through its {@code $ref} to {@code components/parameters} if it has one. */
    private static String nameOf(JsonNode document, JsonNode parameter) {
        JsonNode p = parameter;
        if (p.has("$ref")) {
            p = document.at(p.get("$ref").asText().substring(1));
        }
        return p.path("in").asText() + ":" + p.path("name").asText();
    }

    private static void merge(JsonNode document, ObjectNode op, Operation operation, Set<String> named) {
        op.put(
                "operationId",
                operation.type().getSimpleName() + "_" + operation.method().getName());
        if (!op.has("tags")) {
            op.putArray("tags").add(tagOf(operation.path()));
        }
        ArrayNode parameters = op.has("parameters") ? (ArrayNode) op.get("parameters") : op.putArray("parameters");
        parameters.forEach(p -> named.add(nameOf(document, p)));
        Matcher inPath = PATH_PARAMETER.matcher(operation.path());
        while (inPath.find()) {
            String name = inPath.group(1);
            if (named.add("path:" + name)) {
                parameters
                        .addObject()
                        .put("name", name)
                        .put("in", "path")
                        .put("required", true)
                        .set("schema", JSON.createObjectNode().put("type", "string"));
            }
        }
        // the query parameters as QueryParameters checks them (a "*" method reads others itself: see its prose)
        for (Map.Entry<String, QueryParameters.Kind> query :
                new TreeMap<>(QueryParameters.declaredBy(operation.method())).entrySet()) {
            if (!query.getKey().equals("*") && named.add("query:" + query.getKey())) {
                ObjectNode added =
                        parameters.addObject().put("name", query.getKey()).put("in", "query");
                added.set("schema", schemaOf(query.getValue()));
                if (query.getValue() == QueryParameters.Kind.LIST) {
                    added.put("explode", true);
                }
            }
        }
        boolean body = false;
        for (Parameter p : operation.method().getParameters()) {
            HeaderParam header = p.getAnnotation(HeaderParam.class);
            if (header != null) {
                if (named.add("header:" + header.value()) && !header.value().equalsIgnoreCase("Content-Type")) {
                    parameters
                            .addObject()
                            .put("name", header.value())
                            .put("in", "header")
                            .set("schema", JSON.createObjectNode().put("type", "string"));
                }
            } else if (p.getAnnotation(QueryParam.class) == null
                    && p.getAnnotation(PathParam.class) == null
                    && p.getAnnotation(Context.class) == null
                    && p.getAnnotation(CookieParam.class) == null
                    && p.getAnnotation(FormParam.class) == null) {
                body = true;
            }
        }
        if (parameters.isEmpty()) {
            op.remove("parameters");
        }
        boolean form = Arrays.stream(operation.method().getParameters())
                .anyMatch(p -> p.getAnnotation(FormParam.class) != null);
        if (!op.has("requestBody") && (body || form)) {
            ObjectNode content =
                    op.putObject("requestBody").put("required", true).putObject("content");
            Consumes consumes = operation.method().getAnnotation(Consumes.class);
            if (consumes == null) {
                consumes = operation.type().getAnnotation(Consumes.class);
            }
            String[] types = consumes != null
                    ? consumes.value()
                    : form ? new String[] {"application/x-www-form-urlencoded"} : new String[] {"application/json"};
            for (String type : types) {
                for (String one : type.split(",")) {
                    content.putObject(one.trim()).putObject("schema");
                }
            }
        }
        ObjectNode responses = op.withObject("/responses");
        if (!responses.has("default")) {
            responses.putObject("default").put("$ref", "#/components/responses/Problem");
        }
    }

    private static ObjectNode schemaOf(QueryParameters.Kind kind) {
        ObjectNode schema = JSON.createObjectNode();
        return switch (kind) {
            case BOOLEAN -> schema.put("type", "boolean");
            case INT, LONG -> schema.put("type", "integer");
            case LIST -> {
                schema.put("type", "array").putObject("items").put("type", "string");
                yield schema;
            }
            case TEXT -> schema.put("type", "string");
        };
    }

    /** The tag of an operation: the API its path belongs to. */
    static String tagOf(String path) {
        if (path.startsWith("/ermrest/catalog/{cid}/{model}")) {
            return "ERMrest model";
        }
        if (path.startsWith("/ermrest")) {
            return path.contains("{api}") ? "ERMrest data" : "ERMrest catalogs";
        }
        if (path.startsWith("/hatrac")) {
            return "Hatrac";
        }
        if (path.startsWith("/aios")) {
            return "AIOS";
        }
        if (path.startsWith("/authn")
                || path.startsWith("/api/tokens")
                || path.startsWith("/api/users")
                || path.startsWith("/api/groups")
                || path.startsWith("/api/audit")) {
            return "Identity";
        }
        if (path.contains("/registry")) {
            return "Registry";
        }
        if (path.startsWith("/api")) {
            return "DerivaML";
        }
        if (path.startsWith("/metrics") || path.startsWith("/openapi") || path.startsWith("/health")) {
            return "Operations";
        }
        return "Web catalog";
    }

    /** The document of the application in this servlet context, built on first use. */
    public static ObjectNode of(ServletContext context) {
        ObjectNode built = document;
        if (built == null) {
            synchronized (ApiDocument.class) {
                built = document;
                if (built == null) {
                    built = build(version(), resourceClasses(context));
                    document = built;
                }
            }
        }
        return built;
    }

    private static String version() {
        Properties build = new Properties();
        try (InputStream in = ApiDocument.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            // the document still serves, with an unknown version
        }
        return build.getProperty("version", "unknown");
    }

    /** Cairn's resource classes: every class under {@code WEB-INF/classes} with a {@link Path}. */
    static List<Class<?>> resourceClasses(ServletContext context) {
        List<Class<?>> found = new ArrayList<>();
        walk(context, "/WEB-INF/classes/", found);
        return found;
    }

    private static void walk(ServletContext context, String folder, List<Class<?>> found) {
        Set<String> entries = context.getResourcePaths(folder);
        if (entries == null) {
            return;
        }
        for (String entry : entries) {
            if (entry.endsWith("/")) {
                walk(context, entry, found);
            } else if (entry.endsWith(".class") && !entry.contains("$")) {
                String name = entry.substring("/WEB-INF/classes/".length(), entry.length() - ".class".length())
                        .replace('/', '.');
                try {
                    Class<?> type = Class.forName(name, false, ApiDocument.class.getClassLoader());
                    if (type.isAnnotationPresent(Path.class)) {
                        found.add(type);
                    }
                } catch (ClassNotFoundException | LinkageError e) {
                    // not one of ours to describe
                }
            }
        }
    }
}
