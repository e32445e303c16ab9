package dev.cairn.execution.control;

import dev.cairn.asset.control.AssetTables.AssetTable;
import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Jdbc;
import dev.cairn.platform.RequestClient;
import dev.cairn.vocabulary.control.Vocabularies;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.io.input.CloseShieldInputStream;

/**
 * Many outputs staged in one request: each regular file of a tar archive (gzipped or not) becomes a
 * staged file of one asset table, named by its name in the archive. All or nothing: the archive is
 * read in one transaction, and if any part of it is refused (a broken archive, a link, a file in a
 * folder, a name twice, a bad name) no file of it stays staged. Files staged earlier under the
 * same names are replaced, as a PUT of each would. The archive is streamed; only the names and the
 * ids of the files received so far are held, to refuse repeats and to remove them on failure.
 */
@ApplicationScoped
public class OutputArchives {

    /** Rows written per statement. */
    private static final int BATCH = 1000;

    /** What one archive staged. */
    public record Staged(int files, long bytes) {}

    @Inject
    CatalogDatabases databases;

    @Inject
    Vocabularies vocabularies;

    @Inject
    Workspaces workspaces;

    /**
     * Stages the archive's files for the execution in {@code asset} ({@link
     * Executions#stageable}), with the same Asset_Type terms and description for each.
     */
    public Staged stage(
            long catalogId,
            String execution,
            AssetTable asset,
            List<String> types,
            String description,
            boolean gzipped,
            InputStream archive,
            RequestClient client) {
        List<String> received = new ArrayList<>();
        List<String> replaced = new ArrayList<>();
        try {
            Staged staged = databases.transaction(catalogId, client, c -> {
                // The staged files' table grows by the whole archive inside this transaction: a plan
                // kept from its first, near-empty batches would scan it for every later one (100,000
                // files took twice as long per file as 10,000, measured). Each batch is planned anew.
                Jdbc.execute(c, "SET LOCAL plan_cache_mode = force_custom_plan");
                Executions.checkStageable(c, execution, "FOR SHARE");
                String[] typeNames = vocabularies
                        .canonical(c, new Vocabularies.Vocabulary(MlSql.ML, "Asset_Type"), types)
                        .toArray(String[]::new);
                Batch batch = new Batch(c, execution, asset, typeNames, description, replaced);
                Set<String> names = new HashSet<>();
                // the request's body is not closed here: on a refusal ProblemMapper reads what is left
                // of it, so that the client, still sending, hears the 400
                InputStream body = CloseShieldInputStream.wrap(archive);
                try (InputStream raw = gzipped ? new GzipCompressorInputStream(body) : body;
                        HeaderBudget budget = new HeaderBudget(raw);
                        TarArchiveInputStream tar = new TarArchiveInputStream(budget)) {
                    for (TarArchiveEntry entry = budget.header(tar); entry != null; entry = budget.header(tar)) {
                        if (entry.isDirectory()) {
                            continue;
                        }
                        String filename = filename(entry);
                        if (!names.add(filename)) {
                            throw new CairnException.BadRequest(
                                    filename + " appears twice in the archive; nothing was staged.");
                        }
                        Workspaces.Received file = workspaces.receiveLater(catalogId, CloseShieldInputStream.wrap(tar));
                        received.add(file.fileId());
                        batch.add(filename, file);
                    }
                } catch (IOException e) {
                    throw new CairnException.BadRequest("The archive could not be read as "
                            + (gzipped ? "gzipped tar" : "tar") + " (" + e.getMessage() + "); nothing was staged.");
                }
                batch.flush();
                if (names.isEmpty()) {
                    throw new CairnException.BadRequest("The archive holds no file; nothing was staged.");
                }
                // every file durable before its row commits, all synced together
                workspaces.sync(received);
                return new Staged(names.size(), batch.bytes);
            });
            replaced.forEach(old -> workspaces.delete(catalogId, execution, old));
            return staged;
        } catch (RuntimeException e) {
            received.forEach(fileId -> workspaces.delete(catalogId, execution, fileId));
            throw e;
        }
    }

    /** The entry's name, which must be one file at the archive's top ({@code ./} allowed). */
    private static String filename(TarArchiveEntry entry) {
        String name = entry.getName();
        byte flag = entry.getLinkFlag();
        if (flag != TarConstants.LF_NORMAL && flag != TarConstants.LF_OLDNORM && flag != TarConstants.LF_CONTIG) {
            throw new CairnException.BadRequest(name + " in the archive is not a regular file (a link or a device); "
                    + "only files are staged, and nothing was.");
        }
        String filename = name.startsWith("./") ? name.substring(2) : name;
        if (filename.contains("/")) {
            throw new CairnException.BadRequest(name + " is in a folder of the archive; an archive stages the files "
                    + "at its top only, and nothing was staged.");
        }
        Executions.checkFilename(filename);
        return filename;
    }

    /**
     * Bounds what the tar reader may read while it reads an entry's headers: a long name or PAX
     * header is held in memory whole, so an archive could otherwise claim gigabytes for one.
     */
    private static final class HeaderBudget extends FilterInputStream {
        private static final long LIMIT = 1 << 20;
        private long left = Long.MAX_VALUE;

        HeaderBudget(InputStream in) {
            super(in);
        }

        TarArchiveEntry header(TarArchiveInputStream tar) throws IOException {
            left = LIMIT;
            try {
                return tar.getNextEntry();
            } finally {
                left = Long.MAX_VALUE;
            }
        }

        @Override
        public int read() throws IOException {
            spend(1);
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, (int) Math.min(len, Math.max(1, left)));
            if (n > 0) {
                spend(n);
            }
            return n;
        }

        private void spend(long n) throws IOException {
            if (left != Long.MAX_VALUE && (left -= n) < 0) {
                throw new IOException("an entry's headers (its long name or PAX attributes) exceed 1 MiB");
            }
        }
    }

    /** Staged rows written {@link #BATCH} at a time, in the request's transaction. */
    private static final class Batch {
        private final Connection c;
        private final String execution;
        private final AssetTable asset;
        private final String[] types;
        private final String description;
        private final List<String> replaced;
        private final List<String> filenames = new ArrayList<>();
        private final List<Workspaces.Received> files = new ArrayList<>();
        private long bytes;

        Batch(
                Connection c,
                String execution,
                AssetTable asset,
                String[] types,
                String description,
                List<String> replaced) {
            this.c = c;
            this.execution = execution;
            this.asset = asset;
            this.types = types;
            this.description = description;
            this.replaced = replaced;
        }

        void add(String filename, Workspaces.Received file) throws SQLException {
            filenames.add(filename);
            files.add(file);
            bytes += file.length();
            if (files.size() == BATCH) {
                flush();
            }
        }

        void flush() throws SQLException {
            if (files.isEmpty()) {
                return;
            }
            String[] names = filenames.toArray(String[]::new);
            try (var s = Jdbc.prepare(
                            c,
                            // one key lookup per name (an ANY filter walks every file staged so far)
                            "SELECT s.file_id FROM unnest(?::text[]) AS x(filename), LATERAL (SELECT o.file_id "
                                    + "FROM \"_deriva_ml\".staged_output o WHERE o.execution = ? AND o.asset_schema = ? "
                                    + "AND o.asset_table = ? AND o.filename = x.filename FOR UPDATE) s",
                            names,
                            execution,
                            asset.schema(),
                            asset.name());
                    var r = s.executeQuery()) {
                while (r.next()) {
                    replaced.add(r.getString(1));
                }
            }
            Jdbc.update(
                    c,
                    "INSERT INTO \"_deriva_ml\".staged_output (execution, asset_schema, asset_table, filename, file_id, "
                            + "length, md5, sha256, types, description) SELECT ?, ?, ?, x.filename, x.file_id, "
                            + "x.length::int8, x.md5, x.sha256, ?, ? FROM unnest(?::text[], ?::text[], ?::text[], "
                            + "?::text[], ?::text[]) AS x(filename, file_id, length, md5, sha256) "
                            + "ON CONFLICT (execution, asset_schema, asset_table, filename) DO UPDATE SET "
                            + "file_id = EXCLUDED.file_id, length = EXCLUDED.length, md5 = EXCLUDED.md5, "
                            + "sha256 = EXCLUDED.sha256, types = EXCLUDED.types, description = EXCLUDED.description, "
                            + "staged_at = now(), url = NULL, asset_rid = NULL",
                    execution,
                    asset.schema(),
                    asset.name(),
                    types,
                    description,
                    names,
                    files.stream().map(Workspaces.Received::fileId).toArray(String[]::new),
                    files.stream().map(f -> Long.toString(f.length())).toArray(String[]::new),
                    files.stream().map(Workspaces.Received::md5).toArray(String[]::new),
                    files.stream().map(Workspaces.Received::sha256).toArray(String[]::new));
            filenames.clear();
            files.clear();
        }
    }
}
