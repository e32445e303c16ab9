package dev.cairn.platform;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /api/ready}: 204 once Cairn's own routes answer, with this process's instance id.
 * Readiness ({@link DatabaseHealth}) asks it over loopback, because Payara answers {@code /health}
 * before it routes requests to Cairn; the id proves the answer came from this process. The HTTP
 * port is the one Payara reports, or the HTTP listener's in the server's {@code domain.xml}
 * ({@code http-listener} on Payara Micro, {@code http-listener-1} on Payara Server and GlassFish),
 * or (when Payara bound another one itself, as with {@code --autoBindHttp}) one of the range its
 * configuration names. Access: open; it tells nothing.
 */
@Path("/api/ready")
public class Ready {

    static final String INSTANCE = UUID.randomUUID().toString();
    private static final String HEADER = "Cairn-Instance";
    private static final HttpClient LOOPBACK =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final Pattern LISTENER =
            Pattern.compile("<network-listener[^>]*name=\"http-listener(?:-1)?\"[^>]*>");
    private static final Pattern PORT = Pattern.compile("\\bport=\"(\\d+)\"");
    private static final Pattern RANGE = Pattern.compile("\\bport-range=\"(\\d+),(\\d+)\"");

    @GET
    public Response ready() {
        return Response.noContent().header(HEADER, INSTANCE).build();
    }

    /** Whether this process answers {@code /api/ready} on one of its HTTP ports (the reported one first). */
    static boolean routed(int reportedPort) {
        for (int port : candidates(reportedPort)) {
            try {
                HttpResponse<Void> reply = LOOPBACK.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ready"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (reply.statusCode() == 204
                        && INSTANCE.equals(reply.headers().firstValue(HEADER).orElse(null))) {
                    return true;
                }
            } catch (IOException notThere) {
                // the next candidate
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private static Set<Integer> candidates(int reportedPort) {
        Set<Integer> ports = new LinkedHashSet<>();
        ports.add(reportedPort);
        String root = System.getProperty("com.sun.aas.instanceRoot");
        if (root != null) {
            try {
                Matcher listener =
                        LISTENER.matcher(Files.readString(java.nio.file.Path.of(root, "config", "domain.xml")));
                if (listener.find()) {
                    Matcher port = PORT.matcher(listener.group());
                    if (port.find()) {
                        ports.add(Integer.valueOf(port.group(1)));
                    }
                    Matcher range = RANGE.matcher(listener.group());
                    if (range.find()) {
                        int from = Integer.parseInt(range.group(1));
                        int to = Math.min(Integer.parseInt(range.group(2)), from + 50);
                        for (int p = from; p <= to; p++) {
                            ports.add(p);
                        }
                    }
                }
            } catch (IOException | RuntimeException unreadable) {
                // only the reported port, then
            }
        }
        return ports;
    }
}
