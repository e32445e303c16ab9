package dev.cairn.inspect.control;

import com.drew.imaging.FileType;
import com.drew.imaging.FileTypeDetector;
import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.Tag;
import dev.cairn.platform.JsonBodies;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Images, video and audio read by metadata-extractor: the detected format and MIME type, width,
 * height, channels, duration, codec and sample rate where the container says them, and the
 * metadata directories as read (at most {@link #MAX_TAGS} tags).
 */
final class MediaFiles {

    static final int MAX_TAGS = 300;
    private static final Pattern LEADING_NUMBER = Pattern.compile("^\\s*(\\d{1,12})");

    /** The kind of medium a file type is, or null when metadata-extractor does not read it. */
    static String medium(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            FileType type = FileTypeDetector.detectFileType((BufferedInputStream) in);
            return switch (type) {
                case Mp4, QuickTime, Avi, Flv, Asf, Vob, Mxf -> "video";
                case Mp3, Wav, Aac -> "audio";
                case Jpeg, Png, Gif, Bmp, Tiff, WebP, Heif, Ico, Pcx, Psd, Arw, Cr2, Crw, Crx, Nef, Orf, Raf, Rw2 ->
                    "image";
                default -> null;
            };
        }
    }

    static JsonObject read(Path file, String medium) throws IOException {
        Metadata metadata;
        try {
            metadata = ImageMetadataReader.readMetadata(file.toFile());
        } catch (ImageProcessingException e) {
            throw new IOException(e.getMessage(), e);
        }
        JsonObjectBuilder out = JsonBodies.JSON.createObjectBuilder().add("medium", medium);
        JsonObjectBuilder directories = JsonBodies.JSON.createObjectBuilder();
        int tags = 0;
        Long width = null;
        Long height = null;
        for (Directory directory : metadata.getDirectories()) {
            JsonObjectBuilder d = JsonBodies.JSON.createObjectBuilder();
            for (Tag tag : directory.getTags()) {
                String name = tag.getTagName();
                String key = name.toLowerCase(Locale.ROOT);
                String description = tag.getDescription();
                if (description == null) {
                    continue;
                }
                if (tags++ < MAX_TAGS) {
                    d.add(name, description.length() > 500 ? description.substring(0, 500) : description);
                }
                Long number = leadingNumber(description);
                switch (key) {
                    case "detected file type name" -> out.add("format", description.toLowerCase(Locale.ROOT));
                    case "detected mime type" -> out.add("mime_type", description);
                    case "image width", "width" -> width = width == null ? number : width;
                    case "image height", "height" -> height = height == null ? number : height;
                    case "number of channels", "channels" -> {
                        if (number != null) {
                            out.add("channels", number);
                        }
                    }
                    case "number of components" -> {
                        if (number != null) {
                            out.add("channels", number);
                        }
                    }
                    case "color type" -> out.add("channels", channels(description));
                    case "duration in seconds" -> out.add("duration_seconds", seconds(description));
                    case "duration" -> {
                        if (!directory.getName().startsWith("MP4")
                                && !directory.getName().startsWith("QuickTime")) {
                            out.add("duration_seconds", seconds(description));
                        }
                    }
                    case "compression type", "compressor name", "format", "encoding" -> {
                        if (!"image".equals(medium)) {
                            out.add("codec", description);
                        }
                    }
                    case "samples per second", "sample rate" -> {
                        if (number != null) {
                            out.add("sample_rate", number);
                        }
                    }
                    case "bits per sample", "sample size" -> {
                        if (number != null) {
                            out.add("bits_per_sample", number);
                        }
                    }
                    default -> {}
                }
            }
            directories.add(directory.getName(), d);
        }
        if (width != null) {
            out.add("width", width);
        }
        if (height != null) {
            out.add("height", height);
        }
        if (width != null && height != null) {
            out.add("resolution", width + "x" + height);
        }
        return out.add("metadata", directories).build();
    }

    private static final Map<String, Integer> COLOR_TYPES = Map.of(
            "greyscale", 1, "true color", 3, "indexed color", 3, "greyscale with alpha", 2, "true color with alpha", 4);

    private static int channels(String colorType) {
        return COLOR_TYPES.getOrDefault(colorType.toLowerCase(Locale.ROOT), 3);
    }

    private static Long leadingNumber(String text) {
        Matcher m = LEADING_NUMBER.matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : null;
    }

    /** "12.5", "00:01:02" or "1:02:03.5" as seconds. */
    private static double seconds(String text) {
        String t = text.trim();
        try {
            if (t.contains(":")) {
                double total = 0;
                for (String part : t.split(":")) {
                    total = total * 60 + Double.parseDouble(part);
                }
                return total;
            }
            return Double.parseDouble(t.replaceAll("[^0-9.].*$", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private MediaFiles() {}
}
