package dev.cairn.registry.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * An operator's validator as a test deploys it (a service entry in the WAR under test): it refuses
 * any asset whose metadata sets {@code "forbidden": true}, and tables with more than
 * {@code max_rows} rows, so the tests can see that operators' checks run where Cairn's do.
 */
public class RejectMarkedValidator implements AssetValidator {

    @Override
    public String name() {
        return "reject-marked";
    }

    @Override
    public List<String> validate(Candidate candidate) {
        List<String> out = new ArrayList<>();
        if (candidate.metadata().getBoolean("forbidden", false)) {
            out.add("metadata marks this asset forbidden");
        }
        if (candidate.metadata().containsKey("max_rows")
                && candidate.fileInfo().containsKey("row_count")
                && candidate.fileInfo().getJsonNumber("row_count").longValue()
                        > candidate.metadata().getJsonNumber("max_rows").longValue()) {
            out.add("the table has " + candidate.fileInfo().getJsonNumber("row_count") + " rows, more than max_rows");
        }
        if (candidate.metadata().getBoolean("forbidden", false)
                && candidate.file().isEmpty()) {
            out.add("and it has no bytes here");
        }
        return out;
    }
}
