import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The web catalog's table page on a large asset table, run by bench/web.sh against a running
 * Cairn: an asset table of ROWS rows loaded through the entity API, then the table page with three
 * facets open (a choice facet, and two range facets with histograms) under 8 concurrent clients,
 * (a) with no selection, (b) with a random selection on every request (a value of one facet and a
 * range of another, so no two requests need the same answers), and (c) beside it, the same reads
 * a browser client such as Chaise issues to ERMrest for that page (one page of rows, a count, and
 * per facet its value counts or bounds and bins), sent one after another as such a client does.
 * With WEB_BENCH_FACETS_ONLY=1, the table page only (no forms).
 * Usage: java bench/WebBench.java BASE_URL ROWS
 */
public class WebBench {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    static final String[] FORMATS = {"png", "jpeg", "tiff", "dicom", "nifti", "bmp", "webp", "gif"};
    static final String TOKEN = System.getenv("CAIRN_TOKEN");

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int rows = Integer.parseInt(args[1]);
        String cid = field(send("POST", base + "/api/catalogs", "{\"name\": \"webbench\", \"domainSchema\": \"bench\"}", 201), "id");
        send("POST", base + "/api/catalogs/" + cid + "/asset-tables", "{\"name\": \"Image\", \"columns\": ["
                + "{\"name\": \"Width\", \"type\": \"int4\"}, {\"name\": \"Format\", \"type\": \"text\"}, "
                + "{\"name\": \"Acquired\", \"type\": \"date\"}]}", 201);
        String entity = base + "/ermrest/catalog/" + cid + "/entity/bench:Image";
        int batch = 5000;
        long t = System.nanoTime();
        for (int b = 0; b < rows / batch; b++) {
            StringBuilder json = new StringBuilder("[");
            for (int i = 0; i < batch; i++) {
                int n = b * batch + i;
                String md5 = String.format("%032x", (long) n * 2654435761L);
                json.append(i == 0 ? "" : ",").append("{\"Filename\":\"scan-").append(n).append(".png\",\"URL\":\"/hatrac/")
                        .append(cid).append("/bench/").append(md5).append("\",\"Length\":").append(1000 + n % 50_000)
                        .append(",\"MD5\":\"").append(md5).append("\",\"Width\":").append(64 + (n * 7919) % 4000)
                        .append(",\"Format\":\"").append(FORMATS[(n * 31) % FORMATS.length])
                        .append("\",\"Acquired\":\"").append(java.time.LocalDate.of(2020, 1, 1).plusDays(n % 2000)).append("\"}");
            }
            send("POST", entity + "?defaults=RID", json.append(']').toString(), 200);
        }
        System.out.printf("loaded %,d rows through the entity API in %.1f s%n", rows, (System.nanoTime() - t) / 1e9);

        String page = base + "/web/" + cid + "/table/bench:Image?open=Format&open=Width&open=Acquired";
        // warm up: plans, caches, JIT
        load("warm-up", 8, 10, () -> page);
        load("table page, 3 facets open, no selection", 8, 20, () -> page);
        load("table page, 3 facets open, random selection", 8, 20, () -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            int lo = 64 + r.nextInt(3000);
            return page + "&f.Format=" + FORMATS[r.nextInt(FORMATS.length)] + "&lo.Width=" + lo + "&hi.Width=" + (lo + 1 + r.nextInt(1000));
        });
        // the same answers asked of ERMrest one by one, as a browser client does for such a page
        String e = base + "/ermrest/catalog/" + cid;
        String[] chaise = {
                e + "/entity/bench:Image@sort(RID)?limit=26",
                e + "/aggregate/bench:Image/n:=cnt(*)",
                e + "/attributegroup/bench:Image/v:=Format;n:=cnt(*)@sort(n::desc::,v)?limit=12",
                e + "/aggregate/bench:Image/lo:=min(Width),hi:=max(Width),n:=cnt(Width)",
                e + "/attributegroup/bench:Image/!(Width::null::)/b:=bin(Width;12;64;4063);n:=cnt(*)?limit=14",
                e + "/aggregate/bench:Image/lo:=min(Acquired),hi:=max(Acquired),n:=cnt(Acquired)",
                e + "/attributegroup/bench:Image/!(Acquired::null::)/b:=bin(Acquired;12;2020-01-01;2025-06-22);n:=cnt(*)?limit=14"};
        loadSequence("the same reads through ERMrest, one after another, no selection", 8, 20, chaise);

        if (System.getenv("WEB_BENCH_FACETS_ONLY") != null) {  // bench/peers.sh
            return;
        }
        // the forms: open the create form, post it, open the edit form, save it (4 requests, no script), beside the
        // same two writes sent as ERMrest JSON
        send("POST", e + "/schema/bench/table", "{\"table_name\": \"Note\", \"column_definitions\": ["
                + "{\"name\": \"Name\", \"type\": {\"typename\": \"text\"}}, {\"name\": \"Score\", \"type\": {\"typename\": \"float8\"}}]}", 201);
        String forms = base + "/web/" + cid;
        run("form round trip: create form, create, edit form, save", 8, 20, () -> {
            int n = ThreadLocalRandom.current().nextInt(1_000_000);
            get(forms + "/create/bench:Note");
            HttpResponse<String> made = post(forms + "/create/bench:Note", "v.0.Name=note-" + n + "&v.0.Score=" + n, 303);
            String location = made.headers().firstValue("Location").orElseThrow();
            String rid = location.substring(location.lastIndexOf('/') + 1);
            String form = HTTP.send(request(URI.create(forms + "/edit/bench:Note?rid=" + rid)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            java.util.regex.Matcher rmt = java.util.regex.Pattern.compile("name=\"rmt.0\" value=\"([^\"]+)\"").matcher(form);
            if (!rmt.find()) {
                throw new IllegalStateException("no RMT in the edit form");
            }
            String read = rmt.group(1).replace("&#43;", "+").replace("&#61;", "=").replace("&amp;", "&");
            post(forms + "/edit/bench:Note", "rid.0=" + rid + "&rmt.0=" + java.net.URLEncoder.encode(read, java.nio.charset.StandardCharsets.UTF_8)
                    + "&v.0.Name=note-" + n + "&v.0.Score=" + (n + 1), 303);
            return null;
        });
        run("the same writes as ERMrest JSON: POST entity, PUT attributegroup", 8, 20, () -> {
            int n = ThreadLocalRandom.current().nextInt(1_000_000);
            String row = send("POST", e + "/entity/bench:Note", "[{\"Name\": \"json-" + n + "\", \"Score\": " + n + "}]", 200);
            send("PUT", e + "/attributegroup/bench:Note/RID;Score",
                    "[{\"RID\": \"" + field(row, "RID") + "\", \"Score\": " + (n + 1) + "}]", 200);
            return null;
        });
    }

    static HttpResponse<String> post(String url, String form, int expected) throws Exception {
        HttpResponse<String> r = HTTP.send(request(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(url + ": " + r.statusCode() + " " + r.body());
        }
        return r;
    }

    /** Requests from {@code clients} threads for {@code seconds}; prints req/s, p50 and p99. */
    static void load(String label, int clients, int seconds, Supplier<String> url) throws Exception {
        run(label, clients, seconds, () -> {
            get(url.get());
            return null;
        });
    }

    static void loadSequence(String label, int clients, int seconds, String[] urls) throws Exception {
        run(label, clients, seconds, () -> {
            for (String u : urls) {
                get(u);
            }
            return null;
        });
    }

    static void run(String label, int clients, int seconds, java.util.concurrent.Callable<Void> one) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Future<long[]>> results = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            results.add(pool.submit(() -> {
                long[] latencies = new long[100_000];
                int n = 0;
                while (System.nanoTime() < end && n < latencies.length) {
                    long s = System.nanoTime();
                    one.call();
                    latencies[n++] = System.nanoTime() - s;
                }
                return Arrays.copyOf(latencies, n);
            }));
        }
        List<Long> all = new ArrayList<>();
        try {
            for (Future<long[]> f : results) {
                for (long l : f.get()) {
                    all.add(l);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("%s, %d clients, %d s: %,.1f pages/s, p50 %.0f ms, p99 %.0f ms%n", label, clients, seconds,
                sorted.length / (double) seconds, sorted[sorted.length / 2] / 1e6, sorted[sorted.length * 99 / 100] / 1e6);
    }

    static void get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(request(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + ": " + r.statusCode() + " " + r.body());
        }
    }

    static String send(String method, String url, String json, int expected) throws Exception {
        HttpRequest.Builder request = request(URI.create(url)).timeout(Duration.ofMinutes(5))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + url + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\":\"") + name.length() + 4;
        return json.substring(at, json.indexOf('"', at));
    }

    static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + TOKEN);
    }
}
