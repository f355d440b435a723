import XCTest
import LIMSStore
import LIMSTestSupport

/// `lims template` end to end: the list, each template, --describe, and templates that import.
final class TemplateCLITests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestSupport.temporaryDirectory("lims-template") }

    @discardableResult
    func lims(_ arguments: String...) throws -> TestSupport.RunResult {
        try TestSupport.runLIMS(arguments, in: dir)
    }

    func testWithoutAKindListsEverySheetKindAndResults() throws {
        let result = try lims("template")
        XCTAssertEqual(result.exitCode, 0)
        XCTAssertEqual(result.stderr, "")
        let kinds = result.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: " ").first.map(String.init) ?? "" }
        XCTAssertEqual(kinds, SheetRegistry.kinds + ["results", "crm", "import-profile"])  // import-profile: a key,value sheet
    }

    func testTemplatePrintsTheAgreedHeaderAndAnExampleRow() throws {
        let samples = try lims("template", "samples")
        XCTAssertEqual(samples.exitCode, 0)
        XCTAssertEqual(samples.stdout, """
            code,plot,parent,type,depth_top_cm,depth_bottom_cm,collected_on,mass_g,preparation,description
            M1-S,M1,,bulk,0,10,2018-07-10,850,air-dried; sieved <2 mm; ground <150 um,composite of 5 cores

            """)
        // The headers agreed in the brief's shared vocabulary, exactly.
        let agreed = [
            "sites": "code,name,county,province,country,latitude,longitude,description",
            "treatments": "site,code,name,amendment,amendment_rate_kg_m2,amended_on,plant,planted_on,description",
            "plots": "treatment,code,replicate,area_m2,description",
            "fractions": "parent_sample,class,lower_um,upper_um,replicate,mass_g,fraction_sample,method",
            "extractions": "sample,extract_id,soil_mass_g,solution_mass_g,solution_volume_ml,cacl2_mmol_l,ratio,contact_time_h,extracted_on,filter_um,notes",
            "properties": "sample,property,value,unit,method,measured_on",
            "thin-sections": "code,sample,thickness_um,width_mm,length_mm,prepared_on,notes",
            "xrf-maps": "thin_section,map,facility,beamline,energy_ev,beam_x_um,beam_y_um,pixel_um,dwell_ms,width_px,height_px,acquired_on,file_name",
            "pois": "thin_section,map,poi,x_um,y_um,phase,notes",
            "xanes": "thin_section,map,poi,edge,oxidation_state,ce4_fraction,e0_ev,notes",
            "lcf": "thin_section,map,poi,edge,r_factor,chi_square,range_low_ev,range_high_ev,phase,fraction,uncertainty",
            "correlations": "thin_section,map,element_a,element_b,r_squared,n_pixels",
            "results": "sample,analyte,value,unit,qualifier,detection_limit,method,measured_on",
        ]
        for (kind, header) in agreed {
            let result = try lims("template", kind)
            XCTAssertEqual(result.exitCode, 0, kind)
            XCTAssertEqual(result.stdout.split(separator: "\n").first.map(String.init), header, kind)
            XCTAssertEqual(result.stdout.split(separator: "\n", omittingEmptySubsequences: false).count, 3, kind)
        }
    }

    func testDescribeExplainsEveryColumnAndMarksRequiredOnes() throws {
        let result = try lims("template", "properties", "--describe")
        XCTAssertEqual(result.exitCode, 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("properties: Soil properties"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("  sample*"), lines[1])
        XCTAssertTrue(lines.contains { $0.hasPrefix("  unit ") && $0.contains("meq/100g") }, result.stdout)
        XCTAssertEqual(lines.last, "* = required")
        XCTAssertEqual(lines.count, 1 + 6 + 1)
    }

    func testUnknownKindIsAUsageErrorWithAHint() throws {
        let result = try lims("template", "sample")
        XCTAssertEqual(result.exitCode, 64)
        XCTAssertEqual(result.stdout, "")
        XCTAssertTrue(result.stderr.hasPrefix("Error: Unknown template 'sample'. Did you mean 'samples'? Known: sites, treatments,"), result.stderr)
        XCTAssertTrue(result.stderr.contains("Usage: lims template [<options>] [<kind>]"), result.stderr)
    }

    func testEveryTemplateImportsInRegistryOrderIntoAFreshDatabase() throws {
        XCTAssertEqual(try lims("init").exitCode, 0)
        for kind in SheetRegistry.kinds {
            let template = try lims("template", kind)
            let file = dir.appendingPathComponent("\(kind).csv")
            try Data(template.stdout.utf8).write(to: file)
            let imported = try lims("import", kind, "\(kind).csv")
            XCTAssertEqual(imported.exitCode, 0, "\(kind): \(imported.stderr)")
            XCTAssertTrue(imported.stdout.hasPrefix("Imported \(kind).csv (\(kind) sheet, 1 row) as batch"), imported.stdout)
        }
    }
}
