import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.vitreous.io.MrcFile;
import org.vitreous.io.RelionStar;
import org.vitreous.io.TiltAngles;
import org.vitreous.simulate.AtomicModel;

/**
 * Malformed inputs against every reader (run by bench/fuzz.sh): each file of ../shared/data that a reader takes
 * (STAR, MRC, .tlt, PDB/mmCIF) is mutated many ways, seeded (bytes flipped, the file cut short, numbers replaced by
 * NaN, Infinity, "1d", "0x1p3", 1e-308, 1e308, huge integers, header words overwritten), and each mutant read as a
 * stage reads it (every particle row, every MRC section). Each outcome is one of: accepted (and then every value
 * read must be finite), refused naming the file (FormatException or IOException whose message names it), refused
 * without naming it, or an internal error (any other exception). Prints the counts per reader and the first
 * examples of the last two kinds.
 */
public class FuzzReaders {

	enum Outcome { ACCEPTED, REFUSED_NAMED, REFUSED_UNNAMED, ACCEPTED_NON_FINITE, INTERNAL }

	private static final String[] TOKENS = { "NaN", "Infinity", "-Infinity", "1d", "0x1p3", "1e-308", "1e308",
		"99999999999", "-1", "0", "", "@", "1@", "\u00ff\u00fe", "nan", "inf" };

	public static void main(final String[] args) throws Exception {
		final Path data = Path.of(args.length > 0 ? args[0] : "../shared/data");
		final int perFile = args.length > 1 ? Integer.parseInt(args[1]) : 40;
		final Path work = Files.createTempDirectory("vitreous-fuzz");
		final List<Path> files;
		try (Stream<Path> walk = Files.walk(data)) {
			files = walk.filter(Files::isRegularFile).filter(p -> kind(p) != null).sorted().toList();
		}
		final TreeMap<String, int[]> counts = new TreeMap<>();
		final List<String> examples = new ArrayList<>();
		final Random random = new Random(1);
		for (final Path original : files) {
			final String kind = kind(original);
			final byte[] bytes = Files.readAllBytes(original);
			if (bytes.length > 4 << 20) continue; // the large stacks add nothing the small ones do not
			for (int m = 0; m < perFile; m++) {
				final byte[] mutant = mutate(bytes, kind, random);
				final String ext = original.getFileName().toString().replaceAll("^[^.]*", "");
				final Path p = work.resolve("mutant" + ext);
				Files.write(p, mutant);
				final Outcome o = read(kind, p);
				counts.computeIfAbsent(kind, k -> new int[Outcome.values().length])[o.ordinal()]++;
				if ((o == Outcome.INTERNAL || o == Outcome.REFUSED_UNNAMED || o == Outcome.ACCEPTED_NON_FINITE)
					&& examples.size() < 20) examples.add(o + " " + original.getFileName() + ": " + last);
				Files.deleteIfExists(p);
			}
		}
		System.out.println("| reader | mutants | accepted | refused naming the file | refused, file unnamed | accepted with "
			+ "non-finite values | internal errors |");
		System.out.println("|---|---|---|---|---|---|---|");
		int total = 0;
		for (final var e : counts.entrySet()) {
			final int[] c = e.getValue();
			final int n = java.util.Arrays.stream(c).sum();
			total += n;
			System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d |%n", e.getKey(), n, c[0], c[1], c[2], c[3],
				c[4]);
		}
		System.out.println("files: " + files.size() + ", mutants: " + total);
		for (final String x : examples)
			System.out.println("  " + x);
	}

	private static String last = "";

	private static String kind(final Path p) {
		final String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
		if (n.endsWith(".star")) return "star";
		if (n.endsWith(".mrc") || n.endsWith(".mrcs") || n.endsWith(".map") || n.endsWith(".ccp4") || n.endsWith(
			".map.gz")) return "mrc";
		if (n.endsWith(".tlt") || n.endsWith(".rawtlt")) return "tlt";
		if (n.endsWith(".pdb") || n.endsWith(".cif") || n.endsWith(".ent") || n.endsWith(".pdb.gz")) return "model";
		return null;
	}

	private static byte[] mutate(final byte[] bytes, final String kind, final Random r) {
		final int how = r.nextInt(kind.equals("mrc") ? 4 : 5);
		final byte[] out;
		switch (how) {
			case 0: // cut short
				return java.util.Arrays.copyOf(bytes, r.nextInt(Math.max(1, bytes.length)));
			case 1: { // flip bytes
				out = bytes.clone();
				for (int i = 0, k = 1 + r.nextInt(8); i < k && out.length > 0; i++)
					out[r.nextInt(out.length)] ^= (byte) (1 + r.nextInt(255));
				return out;
			}
			case 2: { // overwrite a header word (MRC) or a byte run
				out = bytes.clone();
				final int at = r.nextInt(Math.max(1, Math.min(out.length, kind.equals("mrc") ? 1024 : out.length)) / 4) * 4;
				final int[] words = { 0, -1, 1 << 20, Integer.MAX_VALUE, Float.floatToRawIntBits(Float.NaN), Float
					.floatToRawIntBits(Float.POSITIVE_INFINITY), Float.floatToRawIntBits(1e-38f), 4, 101 };
				final int w = words[r.nextInt(words.length)];
				for (int i = 0; i < 4 && at + i < out.length; i++)
					out[at + i] = (byte) (w >>> (8 * i));
				return out;
			}
			case 3: { // data bytes to NaN/Inf floats (MRC) or a line duplicated
				if (kind.equals("mrc") && bytes.length > 1028) {
					out = bytes.clone();
					final int at = 1024 + r.nextInt((out.length - 1028) / 4) * 4;
					final int w = Float.floatToRawIntBits(r.nextBoolean() ? Float.NaN : Float.NEGATIVE_INFINITY);
					for (int i = 0; i < 4; i++)
						out[at + i] = (byte) (w >>> (8 * i));
					return out;
				}
				return bytes.clone();
			}
			default: { // a token replaced
				final String text = new String(bytes, StandardCharsets.ISO_8859_1);
				final String[] words = text.split("(?<=\\s)|(?=\\s)");
				final List<Integer> numbers = new ArrayList<>();
				for (int i = 0; i < words.length; i++)
					if (words[i].matches("[-+]?[0-9.]+([eE][-+]?[0-9]+)?(@.*)?")) numbers.add(i);
				if (numbers.isEmpty()) return bytes.clone();
				final int i = numbers.get(r.nextInt(numbers.size()));
				words[i] = TOKENS[r.nextInt(TOKENS.length)];
				return String.join("", words).getBytes(StandardCharsets.ISO_8859_1);
			}
		}
	}

	private static Outcome read(final String kind, final Path p) {
		try {
			boolean finite = true;
			switch (kind) {
				case "star": {
					final RelionStar s = RelionStar.read(p);
					for (int i = 0; i < s.size(); i++) {
						final RelionStar.Particle x = s.particle(i);
						finite &= Double.isFinite(x.angleRot() + x.angleTilt() + x.anglePsi() + x.originXAngst() + x
							.originYAngst() + x.defocusU() + x.defocusV() + x.defocusAngle());
						finite &= Double.isFinite(s.opticsGroup(x.opticsGroup()).imagePixelSize());
					}
					break;
				}
				case "mrc": {
					try (MrcFile f = MrcFile.open(p)) {
						for (final double v : f.header().voxelSize())
							finite &= Double.isFinite(v);
						for (int z = 0; z < f.sections(); z++)
							f.readSection(z); // values themselves may be NaN in a map someone wrote: not a reader's fault
					}
					break;
				}
				case "tlt":
					for (final double a : TiltAngles.read(p))
						finite &= Double.isFinite(a);
					break;
				default:
					for (final AtomicModel.Atom a : AtomicModel.read(p).atoms())
						finite &= Double.isFinite(a.x() + a.y() + a.z() + a.occupancy() + a.bFactor());
			}
			last = "accepted";
			return finite ? Outcome.ACCEPTED : Outcome.ACCEPTED_NON_FINITE;
		} catch (final IOException e) {
			last = e.getClass().getSimpleName() + ": " + e.getMessage();
			return e.getMessage() != null && e.getMessage().contains(p.getFileName().toString()) ? Outcome.REFUSED_NAMED
				: Outcome.REFUSED_UNNAMED;
		} catch (final RuntimeException | Error e) {
			last = e.getClass().getSimpleName() + ": " + e.getMessage();
			return Outcome.INTERNAL;
		}
	}
}
