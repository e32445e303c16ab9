package dev.cairn.platform;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.glassfish.grizzly.CompletionHandler;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.Filter;
import org.glassfish.grizzly.filterchain.FilterChain;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.Protocol;
import org.glassfish.grizzly.memory.Buffers;

/**
 * Refuses a request whose path has a malformed percent-escape ({@code %zz}, {@code %2}, a
 * trailing {@code %}) with a 400 problem, in Payara's own HTTP layer. Payara's mapper cannot decode
 * such a path and answers an empty 200 without calling Cairn (payara/Payara#8000), so the check
 * must run before it: this is a Grizzly filter put into every HTTP listener's filter chain, just
 * before the filter that hands requests to the server, when Cairn starts ({@link #install}).
 *
 * <p>It also lets an escaped backslash ({@code %5C}, which ERMrest allows in names) through: the
 * mapper refuses one whatever its settings, so the guard maps such a path with a stand-in and hands
 * the path as sent to {@link RawPathFilter} in a header of its own ({@link #RAW_PATH}; one a client
 * sends is removed).
 *
 * <p>Reaching the filter chains uses Payara's internals (its service locator, GrizzlyService and
 * each listener's transport) by reflection; where they are not found (another server), nothing is
 * installed and a warning says so. Operators who deploy the WAR elsewhere should refuse such paths
 * in their proxy (docs/errors.md).
 */
public final class EscapeGuard extends BaseFilter {

    private static final Logger LOG = Logger.getLogger(EscapeGuard.class.getName());
    private static final String NAME = EscapeGuard.class.getName();

    private static final String SEEN = NAME + ".seen";
    private static final Pattern BACKSLASH = Pattern.compile("%5[Cc]");
    /** The request header by which the guard hands the application a path it had to map with a stand-in. */
    public static final String RAW_PATH = "X-Cairn-Raw-Path";

    private static volatile boolean active;

    /** Whether the guard runs in front of this application (then {@link #RAW_PATH} can be trusted). */
    public static boolean active() {
        return active;
    }

    /** Whether a raw request path has a percent sign not followed by two hex digits. */
    public static boolean malformed(String rawPath) {
        for (int i = 0; i < rawPath.length(); i++) {
            if (rawPath.charAt(i) == '%'
                    && (i + 2 >= rawPath.length() || !hex(rawPath.charAt(i + 1)) || !hex(rawPath.charAt(i + 2)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        if (ctx.getMessage() instanceof HttpContent content
                && content.getHttpHeader() instanceof HttpRequestPacket request) {
            if (request.getAttribute(NAME) != null) {
                content.recycle();
                return ctx.getStopAction(); // the rest of a refused request's body
            }
            if (content.isHeader() || request.getAttribute(SEEN) == null) {
                request.setAttribute(SEEN, Boolean.TRUE);
                request.getHeaders().removeHeader(RAW_PATH); // only the guard says what the path was
                String raw = request.getRequestURI();
                if (malformed(raw)) {
                    request.setAttribute(NAME, Boolean.TRUE);
                    refuse(ctx, request);
                    content.recycle();
                    return ctx.getStopAction();
                }
                if (BACKSLASH.matcher(raw).find()) {
                    // Payara's mapper refuses an escaped backslash outright; it maps the path with a stand-in, and
                    // RawPathFilter gives the application the path as it was sent
                    request.setHeader(RAW_PATH, raw);
                    request.setRequestURI(BACKSLASH.matcher(raw).replaceAll("%EE%81%9C"));
                }
            }
        }
        return ctx.getInvokeAction();
    }

    private static void refuse(FilterChainContext ctx, HttpRequestPacket request) {
        boolean http2 = request.getProtocol() == Protocol.HTTP_2_0;
        byte[] body = ProblemMapper.json(
                new CairnException.BadRequest(
                        ErrorCode.MALFORMED_ESCAPE,
                        "The path has a malformed percent-escape: every % must "
                                + "be followed by two hex digits (%25 for a % sign)."),
                "urn:uuid:" + UUID.randomUUID());
        HttpResponsePacket response = request.getResponse();
        response.setStatus(400);
        response.setReasonPhrase("Bad Request");
        response.setContentType(Problem.MEDIA_TYPE);
        response.setContentLength(body.length);
        if (!http2) {
            response.getHeaders().setValue("Connection").setString("close");
        }
        HttpContent reply = HttpContent.builder(response)
                .content(Buffers.wrap(ctx.getMemoryManager(), body))
                .last(true)
                .build();
        ctx.write(
                reply,
                http2
                        ? null
                        : new CompletionHandler<WriteResult>() {
                            @Override
                            public void cancelled() {
                                ctx.getConnection().closeSilently();
                            }

                            @Override
                            public void failed(Throwable throwable) {
                                ctx.getConnection().closeSilently();
                            }

                            @Override
                            public void completed(WriteResult result) {
                                ctx.getConnection().closeSilently(); // the request's body, if any, is not read
                            }

                            @Override
                            public void updated(WriteResult result) {}
                        });
    }

    /**
     * Puts a guard into the filter chain of every HTTP listener of the Payara this runs in, before
     * its server filter, replacing one an earlier deployment put there. False when Payara's
     * internals were not found.
     */
    public static boolean install() {
        try {
            Class<?> globals = Class.forName("org.glassfish.internal.api.Globals");
            Object locator = globals.getMethod("getDefaultHabitat").invoke(null);
            Class<?> serviceType = Class.forName("com.sun.enterprise.v3.services.impl.GrizzlyService");
            Object service = locator.getClass()
                    .getMethod("getService", Type.class, Annotation[].class)
                    .invoke(locator, serviceType, new Annotation[0]);
            Field proxiesField = serviceType.getDeclaredField("proxies");
            proxiesField.setAccessible(true);
            int installed = 0;
            for (Object proxy : List.copyOf((Collection<?>) proxiesField.get(service))) {
                Object listener = field(proxy, "grizzlyListener");
                if (listener == null) {
                    continue;
                }
                Object transport = listener.getClass().getMethod("getTransport").invoke(listener);
                Object processor =
                        transport.getClass().getMethod("getProcessor").invoke(transport);
                if (processor instanceof FilterChain chain) {
                    installed += into(chain) ? 1 : 0;
                }
            }
            active = installed > 0;
            int count = installed;
            LOG.info(() -> "Paths with a malformed percent-escape are refused with a 400 problem on " + count
                    + " HTTP listener(s).");
            return installed > 0;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.log(
                    Level.WARNING,
                    "Cannot put the escape guard into the server's HTTP layer: paths with a malformed percent-escape are "
                            + "answered by the container",
                    e);
            return false;
        }
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        for (Class<?> c = owner.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(owner);
            } catch (NoSuchFieldException next) {
                // look in the superclass
            }
        }
        return null;
    }

    private static boolean into(FilterChain chain) {
        synchronized (chain) {
            chain.removeIf(f -> f.getClass().getName().equals(NAME));
            for (int i = 0; i < chain.size(); i++) {
                Filter f = chain.get(i);
                if (f.getClass().getName().equals("org.glassfish.grizzly.http.server.HttpServerFilter")) {
                    chain.add(i, new EscapeGuard());
                    return true;
                }
            }
            return false;
        }
    }
}
