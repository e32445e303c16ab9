import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The object store's concurrent and small-object figures, run by bench/store.sh against a running
 * Cairn (single-stream transfers are measured with curl there): 16 concurrent PUTs of 10 MB, and
 * p50/p99 of 4 KB PUT and GET over 2,000 requests each. Usage: java bench/StoreBench.java BASE_URL
 */
public class StoreBench {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String ns = base + "/hatrac/bench-" + UUID.randomUUID();
        send(request(URI.create(ns)).header("Content-Type", "application/x-hatrac-namespace")
                .PUT(HttpRequest.BodyPublishers.noBody()), 201);
        byte[] ten = new byte[10_000_000];
        new Random(1).nextBytes(ten);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        int rounds = 8;
        long t = System.nanoTime();
        List<Future<?>> puts = new ArrayList<>();
        for (int i = 0; i < 16 * rounds; i++) {
            int n = i;
            puts.add(pool.submit(() -> {
                byte[] body = ten.clone();
                body[0] = (byte) n;
                body[1] = (byte) (n >> 8);
                send(request(URI.create(ns + "/ten-" + n)).PUT(HttpRequest.BodyPublishers.ofByteArray(body)), 201);
                return null;
            }));
        }
        for (Future<?> f : puts) {
            f.get();
        }
        double concurrent = seconds(t);
        pool.shutdown();
        System.out.printf("cairn 16 concurrent PUTs of 10 MB (%d objects): %.0f MB/s aggregate%n",
                16 * rounds, 16 * rounds * 10.0 / concurrent);

        byte[] small = new byte[4096];
        int requests = 2000;
        long[] putNanos = new long[requests];
        long[] getNanos = new long[requests];
        for (int i = 0; i < 200; i++) { // warm-up
            send(request(URI.create(ns + "/warm")).PUT(HttpRequest.BodyPublishers.ofByteArray(small)), 201);
        }
        for (int i = 0; i < requests; i++) {
            small[0] = (byte) i;
            small[1] = (byte) (i >> 8);
            long s = System.nanoTime();
            send(request(URI.create(ns + "/small-" + i)).PUT(HttpRequest.BodyPublishers.ofByteArray(small)), 201);
            putNanos[i] = System.nanoTime() - s;
        }
        for (int i = 0; i < requests; i++) {
            long s = System.nanoTime();
            send(request(URI.create(ns + "/small-" + i)).GET(), 200);
            getNanos[i] = System.nanoTime() - s;
        }
        System.out.printf("cairn 4 KB PUT x%d: p50 %.2f ms, p99 %.2f ms%n", requests, pct(putNanos, 50), pct(putNanos, 99));
        System.out.printf("cairn 4 KB GET x%d: p50 %.2f ms, p99 %.2f ms%n", requests, pct(getNanos, 50), pct(getNanos, 99));
    }

    static void send(HttpRequest.Builder request, int expected) throws Exception {
        HttpResponse<Void> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.build().uri() + ": " + response.statusCode());
        }
    }

    static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    static double pct(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
    }

    /** A request sent as the administrator whose first-start token bench/lib.sh exports. */
    static HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        String token = System.getenv("CAIRN_TOKEN");
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }
}
