package dev.cairn.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The problem codes clients switch on: unique, well formed, and listed where clients read them. */
class ErrorCodeTest {

    private static final List<String> CODES =
            Arrays.stream(ErrorCode.values()).map(ErrorCode::code).toList();

    @Test
    void codesAreUniqueAndWellFormed() {
        assertEquals(CODES.size(), CODES.stream().distinct().count(), "a code is used twice");
        for (ErrorCode code : ErrorCode.values()) {
            assertTrue(code.code().matches("[a-z]+(-[a-z]+)*"), code::code);
            assertTrue(code.status() >= 400 && code.status() < 600, code::code);
            assertEquals(ErrorCode.TYPE_BASE + code.code(), code.type());
        }
    }

    @Test
    void theDocsListEveryCodeWithItsStatusAndMeaning() throws IOException {
        String docs = Files.readString(Path.of("docs/errors.md"));
        Matcher row = Pattern.compile("^\\| `([a-z-]+)` \\| (\\d{3}) \\| (.*) \\|$", Pattern.MULTILINE)
                .matcher(docs);
        List<String> listed = new ArrayList<>();
        while (row.find()) {
            ErrorCode code = ErrorCode.of(row.group(1))
                    .orElseThrow(() -> new AssertionError("docs/errors.md lists an unknown code " + row.group(1)));
            assertEquals(code.status(), Integer.parseInt(row.group(2)), code::code);
            assertEquals(code.meaning(), row.group(3), "docs/errors.md says what the code says it means");
            listed.add(code.code());
        }
        assertEquals(CODES, listed, "docs/errors.md lists every code once, in order");
    }

    @Test
    void theApiDocumentListsEveryCode() throws IOException {
        String yaml = Files.readString(Path.of("src/main/resources/dev/cairn/operations/control/openapi.yaml"));
        Matcher enumeration = Pattern.compile("        code:\\n(?:          .*\\n)*?          enum: \\[([^\\]]*)]")
                .matcher(yaml);
        assertTrue(enumeration.find(), "Problem.code has an enum in openapi.yaml");
        assertEquals(
                CODES,
                Arrays.stream(enumeration.group(1).split(",")).map(String::trim).toList());
    }

    @Test
    void aStatusWithoutAnExceptionGetsTheFirstCodeOfItsStatus() {
        assertEquals(ErrorCode.BAD_REQUEST, ErrorCode.forStatus(400));
        assertEquals(ErrorCode.UNSUPPORTED_MEDIA_TYPE, ErrorCode.forStatus(415));
        assertEquals(ErrorCode.BAD_REQUEST, ErrorCode.forStatus(418));
        assertEquals(ErrorCode.INTERNAL_ERROR, ErrorCode.forStatus(502));
    }

    @Test
    void anExceptionAnswersOnlyCodesOfItsStatus() {
        assertEquals(ErrorCode.ALREADY_EXISTS, new CairnException.Conflict(ErrorCode.ALREADY_EXISTS, "x").code());
        try {
            new CairnException.Conflict(ErrorCode.NOT_FOUND, "x");
            throw new AssertionError("a 409 took a 404's code");
        } catch (IllegalArgumentException expected) {
            // a mismatch is a programming error
        }
    }
}
