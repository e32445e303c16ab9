import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * PUTs of small objects under fresh names from concurrent clients, against any server that takes
 * PUT (Cairn's Hatrac, nginx WebDAV), run by bench/small-puts.sh. Each object's content differs.
 * Prints requests per second and p50/p99 in ms. Usage:
 * java bench/SmallPuts.java URL_PREFIX COUNT CLIENTS SIZE [TOKEN]
 */
public class SmallPuts {
    public static void main(String[] args) throws Exception {
        String prefix = args[0];
        int count = Integer.parseInt(args[1]);
        int clients = Integer.parseInt(args[2]);
        int size = Integer.parseInt(args[3]);
        String token = args.length > 4 ? args[4] : null;
        HttpClient http = HttpClient.newHttpClient();
        AtomicInteger next = new AtomicInteger();
        List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<Integer>> failures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            failures.add(pool.submit(() -> {
                int failed = 0;
                Random random = new Random();
                byte[] body = new byte[size];
                for (int i; (i = next.getAndIncrement()) < count; ) {
                    random.nextBytes(body);
                    HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(prefix + "-" + i))
                            .header("Content-Type", "application/octet-stream")
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
                    if (token != null) {
                        put.header("Authorization", "Bearer " + token);
                    }
                    long t = System.nanoTime();
                    int status = http.send(put.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                    nanos.add(System.nanoTime() - t);
                    if (status != 201 && status != 204) {
                        failed++;
                    }
                }
                return failed;
            }));
        }
        int failed = 0;
        for (Future<Integer> f : failures) {
            failed += f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        System.out.printf("%.0f %.1f %.1f %d%n", count / seconds, sorted.get(sorted.size() / 2) / 1e6,
                sorted.get((int) (sorted.size() * 0.99)) / 1e6, failed);
    }
}
