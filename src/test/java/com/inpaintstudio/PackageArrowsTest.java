package com.inpaintstudio;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The house rules of docs/ARCHITECTURE.md, checked on the sources: arrows point down
 * (launcher -> app, cli -> pipeline -> nn, scheduler, text, image, model -> tensor -> errors), no package cycle,
 * the UI never touches DJL and the engine never touches JavaFX.
 */
class PackageArrowsTest {
    /** Layer of each top-level package; a package may use packages of a lower layer, or of its own (no cycle). */
    static final Map<String, Integer> LAYER = Map.ofEntries(
            Map.entry("(launcher)", 5),
            Map.entry("app", 4), Map.entry("cli", 4),
            Map.entry("pipeline", 3),
            Map.entry("nn", 2), Map.entry("scheduler", 2), Map.entry("text", 2), Map.entry("image", 2),
            Map.entry("model", 2),
            Map.entry("tensor", 1),
            Map.entry("errors", 0));
    static final Set<String> ENGINE = Set.of("pipeline", "nn", "scheduler", "text", "image", "model", "tensor", "errors");

    private static final Path ROOT = Path.of("src/main/java/com/inpaintstudio");
    private static final Pattern PROJECT_REF = Pattern.compile("\\bcom\\.inpaintstudio\\.([A-Za-z_]\\w*)");
    private static final Pattern COMMENTS_AND_STRINGS = Pattern.compile(
            "/\\*.*?\\*/|//[^\\n]*|\"\"\"(?s:.*?)\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])*'", Pattern.DOTALL);

    record Source(String pkg, Path file, String code) {
    }

    static List<Source> sources() {
        try (Stream<Path> files = Files.walk(ROOT)) {
            List<Source> out = new ArrayList<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                Path rel = ROOT.relativize(f);
                String pkg = rel.getNameCount() == 1 ? "(launcher)" : rel.getName(0).toString();
                out.add(new Source(pkg, f, COMMENTS_AND_STRINGS.matcher(Files.readString(f)).replaceAll(" ")));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Which top-level packages each package uses (imports and fully qualified names, comments and strings ignored). */
    static Map<String, Set<String>> uses(List<Source> sources, List<String> violations) {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Source s : sources) {
            Set<String> used = graph.computeIfAbsent(s.pkg(), k -> new TreeSet<>());
            Matcher m = PROJECT_REF.matcher(s.code());
            while (m.find()) {
                String target = Character.isUpperCase(m.group(1).charAt(0)) ? "(launcher)" : m.group(1);
                if (target.equals(s.pkg())) {
                    continue;
                }
                used.add(target);
                Integer from = LAYER.get(s.pkg());
                Integer to = LAYER.get(target);
                if (from == null || to == null) {
                    violations.add(s.file() + ": package " + (from == null ? s.pkg() : target)
                            + " has no layer in PackageArrowsTest.LAYER (and docs/ARCHITECTURE.md)");
                } else if (to > from) {
                    violations.add(s.file() + ": " + s.pkg() + " (layer " + from + ") must not use " + target
                            + " (layer " + to + "): arrows point down");
                }
            }
        }
        return graph;
    }

    @Test
    void arrowsPointDown() {
        List<String> violations = new ArrayList<>();
        uses(sources(), violations);
        assertEquals(List.of(), violations);
    }

    @Test
    void noPackageCycle() {
        Map<String, Set<String>> graph = uses(sources(), new ArrayList<>());
        List<String> cycles = new ArrayList<>();
        for (String start : graph.keySet()) {
            findCycle(graph, start, new ArrayList<>(List.of(start)), cycles);
        }
        assertEquals(List.of(), cycles);
    }

    private static void findCycle(Map<String, Set<String>> graph, String start, List<String> path, List<String> out) {
        for (String next : graph.getOrDefault(path.get(path.size() - 1), Set.of())) {
            if (next.equals(start)) {
                if (start.equals(path.stream().min(String::compareTo).orElseThrow())) { // report each cycle once
                    out.add(String.join(" -> ", path) + " -> " + start);
                }
            } else if (!path.contains(next)) {
                path.add(next);
                findCycle(graph, start, path, out);
                path.remove(path.size() - 1);
            }
        }
    }

    @Test
    void theUiNeverTouchesDjlAndTheEngineNeverTouchesJavaFx() {
        List<String> violations = new ArrayList<>();
        Pattern djl = Pattern.compile("\\bai\\.djl\\.");
        Pattern fx = Pattern.compile("\\bjavafx\\.");
        for (Source s : sources()) {
            if ((s.pkg().equals("app") || s.pkg().equals("image")) && djl.matcher(s.code()).find()) {
                violations.add(s.file() + " uses DJL (ai.djl); only the engine below image may");
            }
            if (ENGINE.contains(s.pkg()) && fx.matcher(s.code()).find()) {
                violations.add(s.file() + " uses JavaFX; only app may");
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void errorsImportNothingOfTheProject() {
        List<String> violations = new ArrayList<>();
        Map<String, Set<String>> graph = uses(sources(), violations);
        assertEquals(Set.of(), graph.getOrDefault("errors", Set.of()));
        assertTrue(graph.containsKey("errors"), "the errors package exists");
    }

    @Test
    void theScanSeesAWrongWayImport() {
        // the checker itself: a made-up image class that imports the pipeline is reported
        List<String> violations = new ArrayList<>();
        uses(List.of(new Source("image", Path.of("Fake.java"), "import com.inpaintstudio.pipeline.InpaintRequest;")),
                violations);
        assertEquals(1, violations.size(), violations.toString());
        List<String> cycles = new ArrayList<>();
        findCycle(Map.of("image", Set.of("pipeline"), "pipeline", Set.of("image")), "image",
                new ArrayList<>(List.of("image")), cycles);
        assertEquals(List.of("image -> pipeline -> image"), cycles);
    }
}
