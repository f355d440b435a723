/// The files of the example study (Sources/LIMSCLI/DemoStudy), embedded by SwiftPM.
/// A test checks this list against the folder.
enum DemoStudyFiles {
    static let manifest = String(decoding: PackageResources.MANIFEST_txt, as: UTF8.self)

    /// What the demo folder's README.txt says: the data are invented.
    static let readme = """
        Example study written by `lims demo`. EVERY VALUE IS INVENTED: plausible numbers modelled on
        the published ranges of the Dingnan demonstration site (heap-leached ion-adsorption REE
        tailings; control, miscanthus and ramie treatments), not measurements. Do not cite them.

        MANIFEST.txt lists the imports in order (the words after `lims import`). The lab sheets follow
        `lims template KIND`; the ICP-MS files are in the Agilent MassHunter batch-table layout; the
        majors are in the long results template. The generator and the independently computed
        expected numbers live in the source tree (Sources/LIMSCLI/DemoStudy).

        """

    /// Every data file, written flat into the demo's study/ folder (the leaching/seepage sheets
    /// live in DemoStudy/leaching/ in the source tree).
    static let files: [(name: String, bytes: [UInt8])] = [
        ("correlations.csv", PackageResources.correlations_csv),
        ("extractions.csv", PackageResources.extractions_csv),
        ("fractions.csv", PackageResources.fractions_csv),
        ("icpms_cacl2_extracts_masshunter.csv", PackageResources.icpms_cacl2_extracts_masshunter_csv),
        ("icpms_totals_masshunter.csv", PackageResources.icpms_totals_masshunter_csv),
        ("lcf.csv", PackageResources.lcf_csv),
        ("leaching-samples.csv", PackageResources.leaching_samples_csv),
        ("plots.csv", PackageResources.plots_csv),
        ("pois.csv", PackageResources.pois_csv),
        ("properties.csv", PackageResources.properties_csv),
        ("samples.csv", PackageResources.samples_csv),
        ("sites.csv", PackageResources.sites_csv),
        ("thin-sections.csv", PackageResources.thin_sections_csv),
        ("treatments.csv", PackageResources.treatments_csv),
        ("xanes.csv", PackageResources.xanes_csv),
        ("xrf-maps.csv", PackageResources.xrf_maps_csv),
        ("xrf_majors_long.csv", PackageResources.xrf_majors_long_csv),
        ("cathode.csv", PackageResources.cathode_csv),
        ("electric-log.csv", PackageResources.electric_log_csv),
        ("head-readings.csv", PackageResources.head_readings_csv),
        ("leachate.csv", PackageResources.leachate_csv),
        ("leaching-residuals.csv", PackageResources.leaching_residuals_csv),
        ("leaching-runs.csv", PackageResources.leaching_runs_csv),
        ("seepage-tests.csv", PackageResources.seepage_tests_csv),
        ("swcc.csv", PackageResources.swcc_csv),
    ]
}
