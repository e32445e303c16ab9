package dev.cairn.store.backend.s3;

import dev.cairn.platform.BoundedInputStream;
import dev.cairn.store.spi.BlobStore;
import dev.cairn.store.spi.StorageException;
import dev.cairn.store.spi.StorageException.Reason;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Blobs in an S3 bucket (AWS, Ceph, MinIO, VAST, S3Proxy...), under an optional prefix:
 * {@code blobs/<sha256>}, {@code staging/<id>}, and the chunks of upload jobs. Content of
 * unknown length is sent as a multipart upload of {@value #PART_MIB} MiB parts, two in flight
 * while the next is read; every part and every single PUT carries its Content-MD5, so the bucket
 * checks each byte it keeps. The SDK's newer default checksums are sent only when an operation
 * requires them (older S3-compatible servers refuse them), and failed calls are retried with
 * backoff (every body here can be sent again).
 *
 * <p>Staged content becomes a blob by a server-side copy (a multipart copy above 5 GiB), as an
 * object store has no rename; small content that only passes through (one part, not kept) is held
 * in memory and PUT straight to its blob key instead; an upload job whose chunks are at least S3's
 * smallest part (5 MiB)
 * is one multipart upload, each chunk a part, completed straight into the staging area; smaller
 * chunks are kept as objects and joined by streaming them into staged content. No type of the
 * SDK leaves this package.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {

    /** Where and how to reach the bucket; {@code endpoint} empty for AWS itself. */
    public record Settings(
            String bucket,
            String prefix,
            String region,
            Optional<URI> endpoint,
            Optional<String> accessKey,
            Optional<String> secretKey) {}

    static final int PART_MIB = 8;
    private static final int PART = PART_MIB << 20;
    private static final int SMALL = 64 << 10;
    /** S3's smallest part but the last. */
    private static final long MIN_PART = 5L << 20;

    private static final long MAX_COPY = 5L << 30;
    private static final int MAX_PARTS = 10_000;
    private static final int IN_FLIGHT = 2;
    /** Chunks up to this size are held in memory on their way; larger ones are spooled to a file. */
    private static final int CHUNK_IN_MEMORY = 16 << 20;

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern ID = Pattern.compile("[0-9A-Za-z-]{1,80}");
    private static final String MULTIPART = "mpu:";
    private static final String UPLOAD_STAGED = "up-";

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final String prefix;
    private final ExecutorService parts;

    public S3BlobStore(Settings settings) throws StorageException {
        this.bucket = settings.bucket();
        String p = settings.prefix() == null ? "" : settings.prefix().replaceAll("^/+|/+$", "");
        this.prefix = p.isEmpty() ? "" : p + "/";
        AwsCredentialsProvider credentials =
                settings.accessKey().isPresent() && settings.secretKey().isPresent()
                        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(
                                settings.accessKey().get(), settings.secretKey().get()))
                        : DefaultCredentialsProvider.builder().build();
        S3Configuration pathStyle = S3Configuration.builder()
                .pathStyleAccessEnabled(settings.endpoint().isPresent())
                .build();
        var builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(pathStyle)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // bodies carry their Content-MD5; signing their SHA-256 too (the SDK's default over plain HTTP)
                // would digest every byte twice more, here and in the bucket
                .authSchemeProvider(params -> S3AuthSchemeProvider.defaultProvider().resolveAuthScheme(params).stream()
                        .map(option -> option.toBuilder()
                                .putSignerProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                                .build())
                        .toList())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(5)
                        .build()));
        var presignerBuilder = S3Presigner.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(pathStyle);
        settings.endpoint().ifPresent(builder::endpointOverride);
        settings.endpoint().ifPresent(presignerBuilder::endpointOverride);
        this.s3 = builder.build();
        this.presigner = presignerBuilder.build();
        this.parts = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "cairn-s3-part");
            t.setDaemon(true);
            return t;
        });
        call(
                () -> {
                    try {
                        s3.headBucket(b -> b.bucket(bucket));
                    } catch (S3Exception e) {
                        if (e.statusCode() != 404) {
                            throw e;
                        }
                        s3.createBucket(b -> b.bucket(bucket));
                    }
                    return null;
                },
                "bucket " + bucket);
    }

    @Override
    public void close() {
        parts.shutdownNow();
        presigner.close();
        s3.close();
    }

    // ---- keys: only checked digests and ids become keys

    private String blobKey(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a SHA-256: " + sha256);
        }
        return prefix + "blobs/" + sha256;
    }

    private String stagedKey(String id) {
        return prefix + "staging/" + checkedId(id);
    }

    private String chunkPrefix(String job) {
        return prefix + "uploads/" + checkedId(job) + "/";
    }

    private static String checkedId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a storage id: " + id);
        }
        return id;
    }

    // ---- staged content

    @Override
    public Staged stage(String id, InputStream content, boolean kept) throws IOException {
        String key = stagedKey(id);
        // most content is small: a part's buffer (zeroed by the JVM) only once there is more
        byte[] small = new byte[SMALL];
        int n = content.readNBytes(small, 0, SMALL);
        byte[] first = small;
        if (n == SMALL) {
            first = Arrays.copyOf(small, PART);
            n += content.readNBytes(first, SMALL, PART - SMALL);
        }
        if (n < PART && !kept) {
            // passing content of one part: straight to its blob key when promoted, no staged object to copy
            return new Staged(id, n, Arrays.copyOf(first, n));
        }
        if (n < PART) {
            put(key, first, n);
            return new Staged(id, n);
        }
        String uploadId = call(
                () -> s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId(), key);
        try {
            List<CompletableFuture<CompletedPart>> sent = new ArrayList<>();
            Deque<CompletableFuture<CompletedPart>> flying = new ArrayDeque<>();
            byte[] part = first;
            long length = 0;
            for (int number = 1; n > 0; number++) {
                if (number > MAX_PARTS) {
                    throw new StorageException(Reason.REJECTED, "content larger than " + MAX_PARTS + " parts");
                }
                byte[] bytes = part;
                int size = n;
                int partNumber = number;
                CompletableFuture<CompletedPart> upload =
                        CompletableFuture.supplyAsync(() -> uploadPart(key, uploadId, partNumber, bytes, size), parts);
                sent.add(upload);
                flying.add(upload);
                length += n;
                if (flying.size() >= IN_FLIGHT) {
                    await(flying.poll());
                }
                part = new byte[PART];
                n = content.readNBytes(part, 0, PART);
            }
            List<CompletedPart> completed = new ArrayList<>();
            for (CompletableFuture<CompletedPart> f : sent) {
                completed.add(await(f));
            }
            call(
                    () -> s3.completeMultipartUpload(
                            r -> r.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(u -> u.parts(completed))),
                    key);
            return new Staged(id, length);
        } catch (IOException | RuntimeException e) {
            abort(key, uploadId);
            throw e;
        }
    }

    private CompletedPart uploadPart(String key, String uploadId, int number, byte[] bytes, int length) {
        try {
            String etag = call(
                    () -> s3.uploadPart(
                                    r -> r.bucket(bucket)
                                            .key(key)
                                            .uploadId(uploadId)
                                            .partNumber(number)
                                            .contentLength((long) length)
                                            .contentMD5(md5(bytes, length)),
                                    RequestBody.fromByteBuffer(ByteBuffer.wrap(bytes, 0, length)))
                            .eTag(),
                    key);
            return CompletedPart.builder().partNumber(number).eTag(etag).build();
        } catch (StorageException e) {
            throw new CompletionException(e);
        }
    }

    private static <T> T await(CompletableFuture<T> future) throws StorageException {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof StorageException s) {
                throw s;
            }
            throw new StorageException(Reason.UNAVAILABLE, String.valueOf(e.getCause()), e.getCause());
        }
    }

    private void put(String key, byte[] bytes, int length) throws StorageException {
        call(
                () -> s3.putObject(
                        r -> r.bucket(bucket)
                                .key(key)
                                .contentLength((long) length)
                                .contentMD5(md5(bytes, length)),
                        RequestBody.fromByteBuffer(ByteBuffer.wrap(bytes, 0, length))),
                key);
    }

    private void abort(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException ignored) {
            // swept later: incomplete uploads older than the grace period are aborted
        }
    }

    @Override
    public InputStream openStaged(Staged staged) throws StorageException {
        if (staged.held() != null) {
            return new ByteArrayInputStream(staged.held());
        }
        return get(stagedKey(staged.id()), null);
    }

    @Override
    public void promote(Staged staged, String sha256, String md5, boolean keepStaged) throws StorageException {
        String target = blobKey(sha256);
        String source = stagedKey(staged.id());
        if (staged.held() != null) {
            // the same bytes under the same key: writing them again is as good as finding them there
            put(target, staged.held(), staged.held().length);
            return;
        }
        Optional<Long> existing = length(target);
        if (existing.isEmpty()) {
            // objects are immutable and every byte was checked on its way in (Content-MD5); an ETag is not
            // always an MD5 (SSE-KMS, multipart), so the copy is checked by its length
            copy(source, target, staged.length());
            long copied =
                    length(target).orElseThrow(() -> new StorageException(Reason.UNAVAILABLE, target + " vanished"));
            if (copied != staged.length()) {
                throw new StorageException(
                        Reason.UNAVAILABLE, target + " has " + copied + " bytes, not " + staged.length());
            }
        } else if (length(source).isEmpty()) {
            throw new StorageException(Reason.MISSING, "no staged content " + staged.id());
        }
        if (!keepStaged) {
            discard(staged);
        }
    }

    private void copy(String source, String target, long length) throws StorageException {
        if (length <= MAX_COPY) {
            call(
                    () -> s3.copyObject(r -> r.sourceBucket(bucket)
                            .sourceKey(source)
                            .destinationBucket(bucket)
                            .destinationKey(target)),
                    source);
            return;
        }
        String uploadId = call(
                () -> s3.createMultipartUpload(r -> r.bucket(bucket).key(target))
                        .uploadId(),
                target);
        try {
            long partSize = Math.max(1L << 30, (length + MAX_PARTS - 1) / MAX_PARTS);
            List<CompletedPart> done = new ArrayList<>();
            for (int number = 1; (long) (number - 1) * partSize < length; number++) {
                long from = (number - 1) * partSize;
                long to = Math.min(length, from + partSize) - 1;
                int partNumber = number;
                String etag = call(
                        () -> s3.uploadPartCopy(r -> r.sourceBucket(bucket)
                                        .sourceKey(source)
                                        .destinationBucket(bucket)
                                        .destinationKey(target)
                                        .uploadId(uploadId)
                                        .partNumber(partNumber)
                                        .copySourceRange("bytes=" + from + "-" + to))
                                .copyPartResult()
                                .eTag(),
                        source);
                done.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            call(
                    () -> s3.completeMultipartUpload(
                            r -> r.bucket(bucket).key(target).uploadId(uploadId).multipartUpload(u -> u.parts(done))),
                    target);
        } catch (StorageException | RuntimeException e) {
            abort(target, uploadId);
            throw e;
        }
    }

    @Override
    public void discard(Staged staged) throws StorageException {
        if (staged.held() != null) {
            return;
        }
        String key = stagedKey(staged.id());
        call(() -> s3.deleteObject(r -> r.bucket(bucket).key(key)), key);
    }

    // ---- blobs

    @Override
    public InputStream open(String sha256, long offset, long length) throws StorageException {
        String key = blobKey(sha256);
        if (length <= 0) {
            return InputStream.nullInputStream();
        }
        return get(key, "bytes=" + offset + "-" + (offset + length - 1));
    }

    private InputStream get(String key, String range) throws StorageException {
        ResponseInputStream<GetObjectResponse> response =
                call(() -> s3.getObject(r -> r.bucket(bucket).key(key).range(range)), key);
        return new FilterInputStream(response) {
            private boolean ended;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                ended |= n < 0;
                return n;
            }

            @Override
            public int read() throws IOException {
                int n = super.read();
                ended |= n < 0;
                return n;
            }

            @Override
            public void close() throws IOException {
                if (!ended) {
                    response.abort(); // not the rest of a large body over the network
                }
                super.close();
            }
        };
    }

    @Override
    public void delete(String sha256) throws StorageException {
        String key = blobKey(sha256);
        call(() -> s3.deleteObject(r -> r.bucket(bucket).key(key)), key);
    }

    private Optional<Long> length(String key) throws StorageException {
        try {
            return Optional.of(call(
                    () -> s3.headObject(r -> r.bucket(bucket).key(key)).contentLength(), key));
        } catch (StorageException e) {
            if (e.reason() == Reason.MISSING) {
                return Optional.empty();
            }
            throw e;
        }
    }

    // ---- upload jobs

    @Override
    public Upload createUpload(String job, long chunkLength, long length) throws StorageException {
        long chunks = (length + chunkLength - 1) / chunkLength;
        if (chunks >= 1 && chunks <= MAX_PARTS && (chunkLength >= MIN_PART || chunks == 1)) {
            String key = stagedKey(UPLOAD_STAGED + checkedId(job));
            String uploadId = call(
                    () -> s3.createMultipartUpload(r -> r.bucket(bucket).key(key))
                            .uploadId(),
                    key);
            return new Upload(job, chunkLength, MULTIPART + uploadId);
        }
        checkedId(job);
        return new Upload(job, chunkLength, "");
    }

    @Override
    public String writeChunk(Upload upload, int n, InputStream content, long length) throws IOException {
        if (length <= CHUNK_IN_MEMORY) {
            byte[] bytes = new byte[(int) length];
            int read = content.readNBytes(bytes, 0, bytes.length);
            checkChunk(n, read, length, content);
            return sendChunk(upload, n, length, md5(bytes, read), RequestBody.fromByteBuffer(ByteBuffer.wrap(bytes)));
        }
        Path spool = Files.createTempFile("cairn-chunk-", ".part");
        try {
            MessageDigest digest = md5();
            long read;
            try (var out = Files.newOutputStream(spool, StandardOpenOption.WRITE);
                    var digesting = new DigestInputStream(new BoundedInputStream(content, length + 1), digest)) {
                read = digesting.transferTo(out);
            }
            checkChunk(n, read, length, InputStream.nullInputStream());
            return sendChunk(
                    upload,
                    n,
                    length,
                    Base64.getEncoder().encodeToString(digest.digest()),
                    RequestBody.fromFile(spool));
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    private static void checkChunk(int n, long read, long length, InputStream rest) throws IOException {
        if (read != length || rest.read() >= 0) {
            throw new StorageException(Reason.REJECTED, "chunk " + n + " must have exactly " + length + " bytes");
        }
    }

    private String sendChunk(Upload upload, int n, long length, String md5, RequestBody body) throws StorageException {
        if (upload.token().startsWith(MULTIPART)) {
            String key = stagedKey(UPLOAD_STAGED + upload.job());
            String uploadId = upload.token().substring(MULTIPART.length());
            return call(
                    () -> s3.uploadPart(
                                    r -> r.bucket(bucket)
                                            .key(key)
                                            .uploadId(uploadId)
                                            .partNumber(n + 1)
                                            .contentLength(length)
                                            .contentMD5(md5),
                                    body)
                            .eTag(),
                    key);
        }
        String key = chunkPrefix(upload.job()) + n;
        return call(
                () -> s3.putObject(
                                r -> r.bucket(bucket)
                                        .key(key)
                                        .contentLength(length)
                                        .contentMD5(md5),
                                body)
                        .eTag(),
                key);
    }

    @Override
    public Staged completeUpload(Upload upload, List<String> tags, long length) throws StorageException {
        String id = UPLOAD_STAGED + upload.job();
        String key = stagedKey(id);
        if (upload.token().startsWith(MULTIPART)) {
            String uploadId = upload.token().substring(MULTIPART.length());
            List<CompletedPart> completed = new ArrayList<>();
            for (int i = 0; i < tags.size(); i++) {
                completed.add(CompletedPart.builder()
                        .partNumber(i + 1)
                        .eTag(tags.get(i))
                        .build());
            }
            call(
                    () -> s3.completeMultipartUpload(
                            r -> r.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(u -> u.parts(completed))),
                    key);
            return new Staged(id, length);
        }
        // small chunks: joined by streaming them, one at a time, into staged content
        String chunks = chunkPrefix(upload.job());
        InputStream joined = new SequenceInputStream(new Enumeration<InputStream>() {
            int next;

            @Override
            public boolean hasMoreElements() {
                return next < tags.size();
            }

            @Override
            public InputStream nextElement() {
                try {
                    return get(chunks + next++, null);
                } catch (StorageException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        Staged staged;
        try (joined) {
            staged = stage(id, joined, true);
        } catch (UncheckedIOException e) {
            throw e.getCause() instanceof StorageException s
                    ? s
                    : new StorageException(Reason.UNAVAILABLE, e.getMessage(), e);
        } catch (StorageException e) {
            throw e;
        } catch (IOException e) {
            throw new StorageException(Reason.UNAVAILABLE, e.toString(), e);
        }
        if (staged.length() != length) {
            discard(staged);
            throw new StorageException(Reason.REJECTED, "the chunks hold " + staged.length() + " bytes, not " + length);
        }
        deleteUpload(upload.job());
        return staged;
    }

    @Override
    public void deleteUpload(String job) throws StorageException {
        String key = stagedKey(UPLOAD_STAGED + checkedId(job));
        call(
                () -> {
                    for (MultipartUpload u : s3.listMultipartUploadsPaginator(
                                    r -> r.bucket(bucket).prefix(key))
                            .uploads()) {
                        if (u.key().equals(key)) {
                            s3.abortMultipartUpload(
                                    r -> r.bucket(bucket).key(key).uploadId(u.uploadId()));
                        }
                    }
                    for (S3Object o : s3.listObjectsV2Paginator(
                                    r -> r.bucket(bucket).prefix(chunkPrefix(job)))
                            .contents()) {
                        s3.deleteObject(r -> r.bucket(bucket).key(o.key()));
                    }
                    return null;
                },
                key);
    }

    // ---- sweeps

    @Override
    public void list(Area area, Instant before, Consumer<List<String>> page) throws StorageException {
        String root = prefix
                + switch (area) {
                    case BLOBS -> "blobs/";
                    case STAGING -> "staging/";
                    case UPLOADS -> "uploads/";
                };
        call(
                () -> {
                    if (area == Area.STAGING) {
                        // staged content whose multipart upload never completed (its node died): aborted here
                        String staging = prefix + "staging/";
                        for (MultipartUpload u : s3.listMultipartUploadsPaginator(
                                        r -> r.bucket(bucket).prefix(staging))
                                .uploads()) {
                            if (u.initiated().isBefore(before) && !u.key().startsWith(staging + UPLOAD_STAGED)) {
                                abort(u.key(), u.uploadId());
                            }
                        }
                    }
                    if (area == Area.UPLOADS) {
                        // multipart jobs live as incomplete uploads to staging/up-<job>
                        List<String> jobs = new ArrayList<>();
                        String staging = prefix + "staging/" + UPLOAD_STAGED;
                        for (MultipartUpload u : s3.listMultipartUploadsPaginator(
                                        r -> r.bucket(bucket).prefix(staging))
                                .uploads()) {
                            if (u.initiated().isBefore(before)) {
                                jobs.add(u.key().substring(staging.length()));
                            }
                        }
                        if (!jobs.isEmpty()) {
                            page.accept(jobs);
                        }
                    }
                    for (var listing : s3.listObjectsV2Paginator(
                            r -> r.bucket(bucket).prefix(root).maxKeys(1000))) {
                        List<String> names = new ArrayList<>();
                        for (S3Object o : listing.contents()) {
                            String rest = o.key().substring(root.length());
                            String name =
                                    area == Area.UPLOADS ? rest.substring(0, Math.max(0, rest.indexOf('/'))) : rest;
                            if (o.lastModified().isBefore(before)
                                    && (area == Area.BLOBS ? SHA256 : ID)
                                            .matcher(name)
                                            .matches()
                                    && (names.isEmpty()
                                            || !names.get(names.size() - 1).equals(name))) {
                                names.add(name);
                            }
                        }
                        if (!names.isEmpty()) {
                            page.accept(names);
                        }
                    }
                    return null;
                },
                root);
    }

    @Override
    public Optional<URI> presign(String sha256, Duration expiry, String contentType, String contentDisposition) {
        String key = blobKey(sha256);
        try {
            return Optional.of(presigner
                    .presignGetObject(p -> p.signatureDuration(expiry)
                            .getObjectRequest(g -> g.bucket(bucket)
                                    .key(key)
                                    .responseContentType(contentType)
                                    .responseContentDisposition(contentDisposition)))
                    .url()
                    .toURI());
        } catch (SdkException | URISyntaxException e) {
            return Optional.empty();
        }
    }

    // ---- helpers

    private interface Call<T> {
        T run();
    }

    /** Runs an S3 call (the SDK has retried what it may), reporting its failure as the store's own. */
    private static <T> T call(Call<T> call, String what) throws StorageException {
        try {
            return call.run();
        } catch (S3Exception e) {
            Reason reason = e.statusCode() == 404 ? Reason.MISSING : Reason.UNAVAILABLE;
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode() + " ";
            throw new StorageException(reason, "S3 answered " + e.statusCode() + " " + code + "for " + what, e);
        } catch (SdkException e) {
            throw new StorageException(
                    Reason.UNAVAILABLE, "S3 could not be reached for " + what + ": " + e.getMessage(), e);
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String md5(byte[] bytes, int length) {
        MessageDigest digest = md5();
        digest.update(bytes, 0, length);
        return Base64.getEncoder().encodeToString(digest.digest());
    }
}
