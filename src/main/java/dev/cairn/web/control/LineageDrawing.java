package dev.cairn.web.control;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.math.ElkPadding;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * Draws a provenance graph (the JSON of {@code asset.control.Lineage}) as SVG, laid out left to
 * right by the Eclipse Layout Kernel's layered algorithm: data flows from inputs through
 * executions to outputs. Each node is a link to its page; the root is outlined. All text is
 * XML-escaped.
 */
public final class LineageDrawing {

    /** Graphs beyond this many nodes are not drawn (the page says so and offers a smaller depth). */
    public static final int MAX_NODES = 500;

    static final double WIDTH = 170;
    static final double HEIGHT = 46;

    static {
        LayoutMetaDataService.getInstance().registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
    }

    private LineageDrawing() {}

    /** The SVG of {@code graph}; {@code link} gives each node's page from its JSON. */
    public static String svg(JsonObject graph, Function<JsonObject, String> link) {
        ElkNode root = ElkGraphUtil.createGraph();
        root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
        root.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
        root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.POLYLINE);
        root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 60.0);
        root.setProperty(CoreOptions.SPACING_NODE_NODE, 22.0);
        root.setProperty(CoreOptions.PADDING, new ElkPadding(16));
        Map<String, ElkNode> nodes = new HashMap<>();
        Map<ElkNode, JsonObject> data = new HashMap<>();
        for (JsonValue v : graph.getJsonArray("nodes")) {
            JsonObject n = v.asJsonObject();
            ElkNode node = ElkGraphUtil.createNode(root);
            node.setDimensions(WIDTH, HEIGHT);
            nodes.put(n.getString("RID"), node);
            data.put(node, n);
        }
        Map<ElkEdge, String> roles = new HashMap<>();
        for (JsonValue v : graph.getJsonArray("edges")) {
            JsonObject e = v.asJsonObject();
            ElkNode from = nodes.get(e.getString("from"));
            ElkNode to = nodes.get(e.getString("to"));
            if (from != null && to != null) {
                roles.put(ElkGraphUtil.createSimpleEdge(from, to), e.getString("role", ""));
            }
        }
        new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());

        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 %.0f %.0f\" "
                        + "width=\"%.0f\" height=\"%.0f\" role=\"img\" aria-labelledby=\"lineage-title\" font-family=\"system-ui, sans-serif\">",
                root.getWidth(),
                root.getHeight(),
                root.getWidth(),
                root.getHeight()));
        svg.append("<title id=\"lineage-title\">Lineage of ")
                .append(escape(graph.getString("root")))
                .append("</title>");
        svg.append(
                "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
                        + "orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#5a6472\"/></marker></defs>");
        for (Map.Entry<ElkEdge, String> e : roles.entrySet()) {
            for (ElkEdgeSection s : e.getKey().getSections()) {
                StringBuilder points =
                        new StringBuilder(String.format(Locale.ROOT, "%.1f,%.1f", s.getStartX(), s.getStartY()));
                for (ElkBendPoint b : s.getBendPoints()) {
                    points.append(String.format(Locale.ROOT, " %.1f,%.1f", b.getX(), b.getY()));
                }
                points.append(String.format(Locale.ROOT, " %.1f,%.1f", s.getEndX(), s.getEndY()));
                svg.append("<polyline class=\"edge\" points=\"")
                        .append(points)
                        .append(
                                "\" fill=\"none\" stroke=\"#5a6472\" stroke-width=\"1.4\" marker-end=\"url(#arrow)\"><title>")
                        .append(escape(e.getValue()))
                        .append("</title></polyline>");
            }
        }
        String rootRid = graph.getString("root");
        for (Map.Entry<ElkNode, JsonObject> e : data.entrySet()) {
            ElkNode n = e.getKey();
            JsonObject d = e.getValue();
            String kind = d.getString("kind", "row");
            String fill = switch (kind) {
                case "execution" -> "#fdf0d5";
                case "dataset" -> "#e3f1e6";
                case "asset" -> "#e4edf8";
                default -> "#eeeeee";
            };
            boolean isRoot = d.getString("RID").equals(rootRid);
            svg.append("<a class=\"node\" data-rid=\"")
                    .append(escape(d.getString("RID")))
                    .append("\" href=\"")
                    .append(escape(link.apply(d)))
                    .append("\">");
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" height=\"%.0f\" rx=\"6\" fill=\"%s\" "
                            + "stroke=\"%s\" stroke-width=\"%s\"/>",
                    n.getX(),
                    n.getY(),
                    WIDTH,
                    HEIGHT,
                    fill,
                    isRoot ? "#0b5cad" : "#8a94a3",
                    isRoot ? "3" : "1"));
            svg.append(String.format(
                            Locale.ROOT,
                            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" font-weight=\"600\" fill=\"#1d2430\">",
                            n.getX() + 8,
                            n.getY() + 18))
                    .append(escape(kindLabel(d)))
                    .append(' ')
                    .append(escape(d.getString("RID")))
                    .append("</text>");
            svg.append(String.format(
                            Locale.ROOT,
                            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#3b4452\">",
                            n.getX() + 8,
                            n.getY() + 35))
                    .append(escape(clip(detail(d), 26)))
                    .append("</text></a>");
        }
        svg.append("</svg>");
        return svg.toString();
    }

    static String kindLabel(JsonObject d) {
        String kind = d.getString("kind", "row");
        return kind.equals("asset")
                ? d.getString("table", "asset")
                : kind.substring(0, 1).toUpperCase(Locale.ROOT) + kind.substring(1);
    }

    static String detail(JsonObject d) {
        return switch (d.getString("kind", "row")) {
            case "asset" ->
                d.containsKey("Name") && !d.isNull("Name")
                        ? d.getString("Name") + " " + text(d, "Version")
                        : text(d, "Filename");
            case "execution" -> text(d, "Status") + " " + text(d, "Description");
            case "dataset" -> text(d, "Version") + " " + text(d, "Description");
            default -> "";
        };
    }

    private static String text(JsonObject d, String field) {
        JsonValue v = d.get(field);
        return v == null || v.getValueType() == JsonValue.ValueType.NULL ? "" : Recordset.text(v);
    }

    private static String clip(String s, int n) {
        s = s.strip();
        return s.length() > n ? s.substring(0, n - 1) + "…" : s;
    }

    public static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 && c != '\t' ? ' ' : c);
            }
        }
        return out.toString();
    }
}
