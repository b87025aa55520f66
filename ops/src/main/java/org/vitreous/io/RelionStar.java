package org.vitreous.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A RELION data STAR file with typed access: {@code data_optics} plus one table of particles, micrographs or
 * movies (RELION 3.1 and later). Pre-3.1 files (no optics block, {@code rlnOriginX/Y} in pixels, optics per row)
 * are converted on reading; every other column is kept as read, in order.
 */
public final class RelionStar {

	// Optics columns
	public static final String OPTICS_GROUP_NAME = "rlnOpticsGroupName";
	public static final String OPTICS_GROUP = "rlnOpticsGroup";
	public static final String MICROGRAPH_ORIGINAL_PIXEL_SIZE = "rlnMicrographOriginalPixelSize";
	public static final String VOLTAGE = "rlnVoltage";
	public static final String SPHERICAL_ABERRATION = "rlnSphericalAberration";
	public static final String AMPLITUDE_CONTRAST = "rlnAmplitudeContrast";
	public static final String IMAGE_PIXEL_SIZE = "rlnImagePixelSize";
	public static final String IMAGE_SIZE = "rlnImageSize";
	public static final String IMAGE_DIMENSIONALITY = "rlnImageDimensionality";
	public static final String MICROGRAPH_PIXEL_SIZE = "rlnMicrographPixelSize";
	// Particle columns
	public static final String IMAGE_NAME = "rlnImageName";
	public static final String MICROGRAPH_NAME = "rlnMicrographName";
	public static final String MICROGRAPH_MOVIE_NAME = "rlnMicrographMovieName";
	// Micrograph columns (motion correction and CTF estimation)
	public static final String MICROGRAPH_METADATA = "rlnMicrographMetadata";
	public static final String MICROGRAPH_NAME_NO_DW = "rlnMicrographNameNoDW";
	public static final String CTF_POWER_SPECTRUM = "rlnCtfPowerSpectrum";
	public static final String CTF_IMAGE = "rlnCtfImage";
	public static final String CTF_ASTIGMATISM = "rlnCtfAstigmatism";
	public static final String CTF_FIGURE_OF_MERIT = "rlnCtfFigureOfMerit";
	public static final String CTF_MAX_RESOLUTION = "rlnCtfMaxResolution";
	public static final String COORDINATE_X = "rlnCoordinateX";
	public static final String COORDINATE_Y = "rlnCoordinateY";
	public static final String ANGLE_ROT = "rlnAngleRot";
	public static final String ANGLE_TILT = "rlnAngleTilt";
	public static final String ANGLE_PSI = "rlnAnglePsi";
	public static final String ORIGIN_X_ANGST = "rlnOriginXAngst";
	public static final String ORIGIN_Y_ANGST = "rlnOriginYAngst";
	public static final String DEFOCUS_U = "rlnDefocusU";
	public static final String DEFOCUS_V = "rlnDefocusV";
	public static final String DEFOCUS_ANGLE = "rlnDefocusAngle";
	public static final String PHASE_SHIFT = "rlnPhaseShift";
	public static final String CTF_BFACTOR = "rlnCtfBfactor";
	public static final String CTF_SCALE = "rlnCtfScalefactor";
	public static final String RANDOM_SUBSET = "rlnRandomSubset";
	public static final String CLASS_NUMBER = "rlnClassNumber";
	// Pre-3.1 columns
	public static final String ORIGIN_X_PIXELS = "rlnOriginX";
	public static final String ORIGIN_Y_PIXELS = "rlnOriginY";
	public static final String DETECTOR_PIXEL_SIZE = "rlnDetectorPixelSize";
	public static final String MAGNIFICATION = "rlnMagnification";

	/** The columns a {@link Particle} is written to, in order. */
	public static final List<String> PARTICLE_COLUMNS = List.of(IMAGE_NAME, ANGLE_ROT, ANGLE_TILT,
		ANGLE_PSI, ORIGIN_X_ANGST, ORIGIN_Y_ANGST, DEFOCUS_U, DEFOCUS_V, DEFOCUS_ANGLE, OPTICS_GROUP, RANDOM_SUBSET,
		CLASS_NUMBER);

	/** The optics of one group (units: kV, mm, Å/px, px). */
	public record OpticsGroup(String name, int number, double voltage, double sphericalAberration,
		double amplitudeContrast, double imagePixelSize, int imageSize, int imageDimensionality)
	{}

	/**
	 * One particle: its image, pose (RELION ZYZ Euler angles in degrees), origin offsets in Å, CTF (defocus in Å,
	 * angle in degrees), optics group, half set (1 or 2; 0 if unassigned) and class (0 if none).
	 */
	public record Particle(ImageReference image, double angleRot, double angleTilt, double anglePsi,
		double originXAngst, double originYAngst, double defocusU, double defocusV, double defocusAngle,
		int opticsGroup, int randomSubset, int classNumber)
	{
		/** This particle at another pose (Euler angles in degrees) and origin (Å); the rest unchanged. */
		public Particle withPose(final double rot, final double tilt, final double psi, final double originX,
			final double originY)
		{
			return new Particle(image, rot, tilt, psi, originX, originY, defocusU, defocusV, defocusAngle, opticsGroup,
				randomSubset, classNumber);
		}

		/** This particle in half set {@code subset}. */
		public Particle withSubset(final int subset) {
			return new Particle(image, angleRot, angleTilt, anglePsi, originXAngst, originYAngst, defocusU, defocusV,
				defocusAngle, opticsGroup, subset, classNumber);
		}

		/** This particle in class {@code number}. */
		public Particle withClass(final int number) {
			return new Particle(image, angleRot, angleTilt, anglePsi, originXAngst, originYAngst, defocusU, defocusV,
				defocusAngle, opticsGroup, randomSubset, number);
		}
	}

	private final Path source;
	private final StarFile file;
	private final StarTable optics;
	private final StarTable items;
	private final boolean convertedFromPre31;

	RelionStar(final Path source, final StarFile file, final StarTable optics, final StarTable items,
		final boolean converted)
	{
		this.source = source;
		this.file = file;
		this.optics = optics;
		this.items = items;
		this.convertedFromPre31 = converted;
	}

	/** A new particle STAR with these optics groups and no particles. */
	public static RelionStar createParticles(final List<OpticsGroup> groups) {
		final StarFile file = new StarFile();
		final StarTable optics = new StarTable("optics", true);
		for (final String c : new String[] { OPTICS_GROUP_NAME, OPTICS_GROUP, VOLTAGE, SPHERICAL_ABERRATION,
			AMPLITUDE_CONTRAST, IMAGE_PIXEL_SIZE, IMAGE_SIZE, IMAGE_DIMENSIONALITY })
			optics.addColumn(c, "");
		for (final OpticsGroup g : groups)
			optics.addRow(g.name(), Integer.toString(g.number()), StarTable.formatNumber(g.voltage()), StarTable
				.formatNumber(g.sphericalAberration()), StarTable.formatNumber(g.amplitudeContrast()), StarTable
					.formatNumber(g.imagePixelSize()), Integer.toString(g.imageSize()), Integer.toString(g
						.imageDimensionality()));
		final StarTable particles = new StarTable("particles", true);
		for (final String c : PARTICLE_COLUMNS)
			particles.addColumn(c, "");
		file.add(optics);
		file.add(particles);
		return new RelionStar(null, file, optics, particles, false);
	}

	/** Reads a particle STAR (3.1 or pre-3.1); pre-3.1 origins in pixels need a pixel size in the file. */
	public static RelionStar read(final Path path) throws IOException {
		return read(path, 0);
	}

	/**
	 * Reads a RELION data STAR: {@code data_optics} with {@code data_particles}, {@code data_micrographs} or
	 * {@code data_movies}; or a pre-3.1 file, converted.
	 *
	 * @param pixelSize Å/px for pre-3.1 files that do not state it (rlnDetectorPixelSize and rlnMagnification);
	 *          0 if none is known
	 */
	public static RelionStar read(final Path path, final double pixelSize) throws IOException {
		return read(path, pixelSize, true);
	}

	/**
	 * Reads a STAR of poses, as relion_project --ang takes it: particle rows with angles (and optionally origins
	 * and CTF) that need not name images, since a projection makes them.
	 */
	public static RelionStar readPoses(final Path path) throws IOException {
		return read(path, 0, false);
	}

	private static RelionStar read(final Path path, final double pixelSize, final boolean images) throws IOException {
		final StarFile file = StarFile.read(path);
		final StarTable optics = file.block("optics");
		StarTable items = null;
		for (final String name : new String[] { "particles", "micrographs", "movies" })
			if (items == null) items = file.block(name);
		if (optics != null) {
			if (items == null)
				throw new FormatException(path, "has data_optics but no data_particles, data_micrographs or "
					+ "data_movies block");
			optics.requireColumn(OPTICS_GROUP);
			if (items.has(OPTICS_GROUP)) checkGroups(path, optics, items);
			if (items.name().equals("particles") && (images || !items.has(ANGLE_ROT))) items.requireColumn(IMAGE_NAME);
			final RelionStar star = new RelionStar(path, file, optics, items, false);
			star.opticsGroups(); // every group's values read now, so a bad one is refused on reading, not mid-job
			if (items.has(ORIGIN_X_PIXELS) || items.has(ORIGIN_Y_PIXELS)) {
				// pre-3.1 labels inside a 3.1 file (ASPIRE and older tools write them): pixels of the optics group's
				// images, never to be ignored
				final double[] pixelSizes = new double[items.rowCount()];
				for (int r = 0; r < pixelSizes.length; r++)
					pixelSizes[r] = star.opticsGroup(items.getInt(r, OPTICS_GROUP, 1)).imagePixelSize();
				RelionStarPre31.originsToAngstrom(path, items, pixelSizes, "the optics group has no _" + IMAGE_PIXEL_SIZE);
			}
			return star;
		}
		// pre-3.1: one table, optics per row
		StarTable table = items;
		for (final StarTable t : file.blocks())
			if (table == null && t.isLoop()) table = t;
		if (table == null) throw new FormatException(path, "has no loop_ table of particles or micrographs");
		final boolean particles = table.has(IMAGE_NAME) || !images && table.has(ANGLE_ROT);
		if (!particles && !table.has(MICROGRAPH_NAME) && !table.has(MICROGRAPH_MOVIE_NAME))
			throw new FormatException(path, "data_" + table.name() + " has neither _" + IMAGE_NAME + " nor _"
				+ MICROGRAPH_NAME + ": not a RELION particle or micrograph table");
		return RelionStarPre31.convert(file, table, particles, pixelSize);
	}

	private static void checkGroups(final Path path, final StarTable optics, final StarTable items)
		throws FormatException
	{
		final Set<Integer> known = new HashSet<>();
		for (int r = 0; r < optics.rowCount(); r++)
			known.add(optics.getInt(r, optics.column(OPTICS_GROUP)));
		final int c = items.column(OPTICS_GROUP);
		for (int r = 0; r < items.rowCount(); r++) {
			final int g = items.getInt(r, c);
			if (!known.contains(g))
				throw new FormatException(path, items.line(r), "_" + OPTICS_GROUP + " is " + g
					+ ", which data_optics does not define (it has " + known + ")");
		}
	}

	/**
	 * A copy that shares nothing with this STAR, to be written at {@code path}: its errors name that path, and
	 * image names are resolved against its folder, so a caller that moves the copy rewrites them
	 * ({@link #set(int, Particle, Path)}) before reading images through it.
	 */
	public RelionStar copyAs(final Path path) {
		final StarFile f = file.copy();
		final List<StarTable> blocks = file.blocks();
		return new RelionStar(path, f, optics == null ? null : f.blocks().get(blocks.indexOf(optics)), f.blocks().get(
			blocks.indexOf(items)), convertedFromPre31);
	}

	/** The file read (null if made in memory). */
	public Path source() {
		return source;
	}

	public StarFile file() {
		return file;
	}

	public StarTable optics() {
		return optics;
	}

	/** The particles (or micrographs, movies) table. */
	public StarTable items() {
		return items;
	}

	public boolean convertedFromPre31() {
		return convertedFromPre31;
	}

	public int size() {
		return items.rowCount();
	}

	/** The optics group with this {@code rlnOpticsGroup} number. */
	public OpticsGroup opticsGroup(final int number) throws FormatException {
		optics.requireColumn(OPTICS_GROUP);
		final int r = optics.rowWhere(OPTICS_GROUP, number, 0);
		if (r < 0) throw new FormatException(source(), "data_optics has no group " + number);
		final int nameColumn = optics.column(OPTICS_GROUP_NAME);
		final double pixelSize = optics.getDouble(r, IMAGE_PIXEL_SIZE, optics.getDouble(r, MICROGRAPH_PIXEL_SIZE, 0));
		if (pixelSize != 0) RelionStarPre31.requirePixelSize(source(), optics.line(r), pixelSize, "_" + IMAGE_PIXEL_SIZE
			+ " of optics group " + number);
		return new OpticsGroup(nameColumn < 0 ? "opticsGroup" + number : optics.get(r, nameColumn), number, optics
			.getDouble(r, VOLTAGE, 300), optics.getDouble(r, SPHERICAL_ABERRATION, 2.7), optics.getDouble(r,
				AMPLITUDE_CONTRAST, 0.1), pixelSize, optics.getInt(r, IMAGE_SIZE, 0), optics.getInt(r, IMAGE_DIMENSIONALITY,
					2));
	}

	/** The pixel size (Å) and box (px) of the particle images. */
	public record ImageGeometry(double pixelSize, int size) {}

	/**
	 * The particles' pixel size and box, from the first particle's optics group, the box from its image stack where
	 * the group states none; refuses a file with no particles or no pixel size. Processing that takes every
	 * particle to be alike starts here.
	 */
	public ImageGeometry imageGeometry() throws IOException {
		if (size() == 0) throw new FormatException(source(), "has no particles");
		final OpticsGroup optics = opticsGroup(particle(0).opticsGroup());
		if (!(optics.imagePixelSize() > 0)) throw new FormatException(source(), "states no rlnImagePixelSize");
		int n = optics.imageSize();
		if (n <= 0) try (MrcFile f = MrcFile.open(particle(0).image().stack())) {
			n = f.width();
		}
		return new ImageGeometry(optics.imagePixelSize(), n);
	}

	/** All optics groups in file order. */
	public List<OpticsGroup> opticsGroups() throws FormatException {
		final List<OpticsGroup> groups = new ArrayList<>();
		final int c = optics.requireColumn(OPTICS_GROUP);
		for (int r = 0; r < optics.rowCount(); r++)
			groups.add(opticsGroup(optics.getInt(r, c)));
		return groups;
	}

	/**
	 * A particle STAR and every stack it names: the inputs a job that reads the STAR may not overwrite. A STAR that
	 * cannot be read gives only itself (the job then refuses it with the reason).
	 */
	public static Path[] jobInputs(final Path star) {
		try {
			return readPoses(star).inputs().toArray(Path[]::new);
		} catch (final IOException | RuntimeException e) {
			return new Path[] { star }; // refused by the job itself, with its message
		}
	}

	/**
	 * This STAR's file and every stack its particle rows name, in order of first appearance: inputs of any job that
	 * reads this file, which no output of it may overwrite.
	 */
	public List<Path> inputs() throws FormatException {
		final LinkedHashSet<Path> inputs = new LinkedHashSet<>();
		if (source != null) inputs.add(source);
		if (items.has(IMAGE_NAME)) for (int i = 0; i < items.rowCount(); i++)
			inputs.add(image(i).stack());
		return new ArrayList<>(inputs);
	}

	/** The image of row i, its stack resolved against the STAR file's folder (null in a STAR of poses only). */
	public ImageReference image(final int i) throws FormatException {
		if (!items.has(IMAGE_NAME)) return null;
		final String name = items.get(i, IMAGE_NAME);
		try {
			return ImageReference.parse(name, folder());
		} catch (final IllegalArgumentException e) {
			throw new FormatException(source(), items.line(i), "_" + IMAGE_NAME + " " + e.getMessage());
		}
	}

	private Path folder() {
		final Path s = source();
		return s == null ? null : s.toAbsolutePath().getParent();
	}

	/**
	 * Row i as a particle. Pose, origin, CTF, subset and class columns are optional (0 where absent, group 1);
	 * call {@link #requireColumns} first where a stage needs them.
	 */
	public Particle particle(final int i) throws FormatException {
		return new Particle(image(i), items.getDouble(i, ANGLE_ROT, 0), items.getDouble(i, ANGLE_TILT, 0), items
			.getDouble(i, ANGLE_PSI, 0), items.getDouble(i, ORIGIN_X_ANGST, 0), items.getDouble(i, ORIGIN_Y_ANGST, 0),
			items.getDouble(i, DEFOCUS_U, 0), items.getDouble(i, DEFOCUS_V, items.getDouble(i, DEFOCUS_U, 0)), items
				.getDouble(i, DEFOCUS_ANGLE, 0), items.getInt(i, OPTICS_GROUP, 1), items.getInt(i, RANDOM_SUBSET, 0),
			items.getInt(i, CLASS_NUMBER, 0));
	}

	/** Refuses the file unless its particle table has every one of {@code columns}, naming what needs them. */
	public void requireColumns(final String purpose, final String... columns) throws FormatException {
		final List<String> missing = new ArrayList<>();
		for (final String c : columns)
			if (!items.has(c)) missing.add("_" + c);
		if (!missing.isEmpty())
			throw new FormatException(source(), String.format(Locale.ROOT, "data_%s has no column %s, needed for %s",
				items.name(), String.join(", ", missing), purpose));
	}

	/** Appends a particle; its image is written relative to {@code folder} (the STAR file's folder). */
	public int add(final Particle p, final Path folder) {
		final String[] zeros = new String[items.columns().size()];
		Arrays.fill(zeros, "0");
		final int row = items.addRow(zeros);
		set(row, p, folder);
		return row;
	}

	/** Overwrites row i's particle columns with {@code p} (other columns keep their values). */
	public void set(final int row, final Particle p, final Path folder) {
		items.set(row, IMAGE_NAME, p.image().format(folder));
		items.set(row, ANGLE_ROT, p.angleRot());
		items.set(row, ANGLE_TILT, p.angleTilt());
		items.set(row, ANGLE_PSI, p.anglePsi());
		items.set(row, ORIGIN_X_ANGST, p.originXAngst());
		items.set(row, ORIGIN_Y_ANGST, p.originYAngst());
		items.set(row, DEFOCUS_U, p.defocusU());
		items.set(row, DEFOCUS_V, p.defocusV());
		items.set(row, DEFOCUS_ANGLE, p.defocusAngle());
		items.set(row, OPTICS_GROUP, p.opticsGroup());
		items.set(row, RANDOM_SUBSET, p.randomSubset());
		items.set(row, CLASS_NUMBER, p.classNumber());
	}

	/** Writes the file (RELION 3.1 layout) atomically. */
	public void write(final Path target, final Path... inputs) throws IOException {
		Files.createDirectories(target.toAbsolutePath().getParent());
		file.write(target, inputs);
	}
}
