package org.vitreous.simulate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.vitreous.io.Compressed;
import org.vitreous.io.FormatException;
import org.vitreous.io.Numbers;

/**
 * Atoms of a model in PDB or mmCIF format: element, Cartesian coordinates in Å, occupancy and B-factor. PDB files
 * give ATOM and HETATM records of the first model (fixed columns; the element from columns 77–78, else from the
 * atom name); mmCIF files give the {@code _atom_site} loop (type_symbol, Cartn_x/y/z, occupancy,
 * B_iso_or_equiv, pdbx_PDB_model_num).
 */
public record AtomicModel(Path source, List<Atom> atoms) {

	/** One atom; element symbols are capitalised as in the periodic table ("C", "Zn"). */
	public record Atom(String element, double x, double y, double z, double occupancy, double bFactor) {}

	/** Reads a .pdb/.ent or .cif/.mmcif file (decided by its content, not only its name). */
	public static AtomicModel read(final Path path) throws IOException {
		final List<String> lines;
		try (BufferedReader r = new BufferedReader(new InputStreamReader(Compressed.open(path),
			StandardCharsets.ISO_8859_1)))
		{
			lines = r.lines().toList();
		} catch (final UncheckedIOException e) {
			throw new FormatException(path, "could not be read to the end: " + e.getCause().getMessage());
		}
		boolean cif = false;
		for (final String l : lines)
			if (l.startsWith("_atom_site.") || l.startsWith("data_")) {
				cif = true;
				break;
			}
			else if (l.startsWith("ATOM  ") || l.startsWith("HETATM")) break;
		final List<Atom> atoms = cif ? readCif(path, lines) : readPdb(path, lines);
		if (atoms.isEmpty()) throw new FormatException(path, "no atoms: expected ATOM/HETATM records (PDB) or an "
			+ "_atom_site loop (mmCIF)");
		return new AtomicModel(path, List.copyOf(atoms));
	}

	private static List<Atom> readPdb(final Path path, final List<String> lines) throws FormatException {
		final List<Atom> atoms = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			final String l = lines.get(i);
			if (l.startsWith("ENDMDL")) break;
			if (!l.startsWith("ATOM  ") && !l.startsWith("HETATM")) continue;
			if (l.length() < 54) throw new FormatException(path, i + 1, "atom record is " + l.length()
				+ " characters long; coordinates need columns 31-54");
			try {
				final double x = Numbers.parseFinite(l.substring(30, 38).trim());
				final double y = Numbers.parseFinite(l.substring(38, 46).trim());
				final double z = Numbers.parseFinite(l.substring(46, 54).trim());
				final double occ = l.length() >= 60 && !l.substring(54, 60).isBlank() ? Numbers.parseFinite(l.substring(
					54, 60).trim()) : 1;
				final double b = l.length() >= 66 && !l.substring(60, 66).isBlank() ? Numbers.parseFinite(l.substring(60,
					66).trim()) : 0;
				// columns 77-78 give the element; old files leave them blank or put other text there, and then the
				// atom name says it (gemmi's rule)
				String element = normalise(l.length() >= 78 ? l.substring(76, 78).trim() : "");
				if (!ScatteringFactors.has(element)) element = elementFromName(l.substring(12, 16));
				atoms.add(new Atom(element, x, y, z, occ, b));
			} catch (final NumberFormatException e) {
				throw new FormatException(path, i + 1, "atom record has a number that does not parse: " + e.getMessage());
			}
		}
		return atoms;
	}

	/**
	 * The element an atom name (columns 13-16) implies: PDB names align the element in columns 13-14, so " CA " is
	 * carbon alpha and "CA  " calcium; a digit in column 13 ("1HB ") or a name whose first two letters are no
	 * element ("HD11", "OXT ") leaves its first letter.
	 */
	private static String elementFromName(final String name) {
		final String two = normalise(name.substring(0, 2).trim());
		if (two.length() == 2 && ScatteringFactors.has(two) && name.charAt(0) != ' ' && !Character.isDigit(name
			.charAt(0)) && !name.startsWith("H")) return two;
		final String letters = name.replaceAll("[^A-Za-z]", "");
		return letters.isEmpty() ? "" : normalise(letters.substring(0, 1));
	}

	private static String normalise(final String element) {
		final String e = element.replaceAll("[^A-Za-z]", "");
		if (e.isEmpty()) return e;
		return e.substring(0, 1).toUpperCase(Locale.ROOT) + e.substring(1).toLowerCase(Locale.ROOT);
	}

	private static List<Atom> readCif(final Path path, final List<String> lines) throws FormatException {
		final List<String> columns = new ArrayList<>();
		int start = -1;
		for (int i = 0; i < lines.size(); i++) {
			final String l = lines.get(i).trim();
			if (l.startsWith("_atom_site.")) {
				if (columns.isEmpty() && (i == 0 || !lines.get(i - 1).trim().equals("loop_"))) {
					// a single-atom file may give key-value pairs; treat it as a one-row loop
				}
				columns.add(l.split("\\s+")[0].substring("_atom_site.".length()));
				start = i + 1;
			}
			else if (!columns.isEmpty()) break;
		}
		if (columns.isEmpty()) return List.of();
		final Map<String, Integer> index = new HashMap<>();
		for (int c = 0; c < columns.size(); c++)
			index.put(columns.get(c), c);
		for (final String needed : new String[] { "Cartn_x", "Cartn_y", "Cartn_z" })
			if (!index.containsKey(needed)) throw new FormatException(path, start, "_atom_site loop has no _atom_site."
				+ needed);
		final Integer element = index.containsKey("type_symbol") ? index.get("type_symbol") : index.get("label_atom_id");
		final Integer occupancy = index.get("occupancy"), b = index.get("B_iso_or_equiv");
		final Integer model = index.get("pdbx_PDB_model_num");
		final List<Atom> atoms = new ArrayList<>();
		final List<String> row = new ArrayList<>();
		String firstModel = null;
		for (int i = start; i < lines.size(); i++) {
			final String l = lines.get(i).trim();
			if (l.isEmpty()) continue;
			if (l.startsWith("#") || l.startsWith("loop_") || l.startsWith("_") || l.startsWith("data_")) break;
			tokens(l, row);
			if (row.size() < columns.size()) continue; // a row continued on the next line
			if (row.size() > columns.size()) throw new FormatException(path, i + 1, "atom row has " + row.size()
				+ " values for " + columns.size() + " _atom_site columns");
			if (model != null) {
				if (firstModel == null) firstModel = row.get(model);
				else if (!firstModel.equals(row.get(model))) break;
			}
			try {
				atoms.add(new Atom(element == null ? "" : normalise(row.get(element)), Numbers.parseFinite(row.get(index
					.get("Cartn_x"))), Numbers.parseFinite(row.get(index.get("Cartn_y"))), Numbers.parseFinite(row.get(index
						.get("Cartn_z"))), occupancy == null ? 1 : number(row.get(occupancy), 1), b == null ? 0 : number(row.get(
							b), 0)));
			} catch (final NumberFormatException e) {
				throw new FormatException(path, i + 1, "atom coordinate does not parse: " + e.getMessage());
			}
			row.clear();
		}
		return atoms;
	}

	private static double number(final String token, final double missing) {
		return token.equals("?") || token.equals(".") ? missing : Numbers.parseFinite(token);
	}

	private static void tokens(final String line, final List<String> out) {
		int i = 0;
		while (i < line.length()) {
			final char c = line.charAt(i);
			if (Character.isWhitespace(c)) {
				i++;
				continue;
			}
			if (c == '\'' || c == '"') {
				int j = i + 1;
				while (j < line.length() && !(line.charAt(j) == c && (j + 1 == line.length() || Character.isWhitespace(line
					.charAt(j + 1)))))
					j++;
				out.add(line.substring(i + 1, Math.min(j, line.length())));
				i = j + 1;
			}
			else {
				int j = i;
				while (j < line.length() && !Character.isWhitespace(line.charAt(j)))
					j++;
				out.add(line.substring(i, j));
				i = j;
			}
		}
	}
}
