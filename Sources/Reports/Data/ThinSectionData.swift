import LIMSStore

/// Thin sections with their maps, POIs, XANES results, LCF fits and map correlations.
public struct ThinSectionData: Sendable {
    public struct Section: Sendable { public var id: Int64; public var code: String; public var sampleID: Int64 }
    public struct Map: Sendable { public var id: Int64; public var sectionID: Int64; public var label: String
        public var beamline: String?; public var energyEV: Double?; public var pixelUm: Double? }
    public struct POI: Sendable { public var id: Int64; public var mapID: Int64; public var label: String; public var phase: String? }
    public struct XANES: Sendable { public var poiID: Int64; public var edge: String; public var oxidationState: String?
        public var ce4Fraction: Double?; public var e0EV: Double? }
    public struct LCFComponent: Sendable { public var phase: String; public var fraction: Double; public var uncertainty: Double? }
    public struct LCF: Sendable { public var poiID: Int64; public var edge: String; public var rFactor: Double?
        public var chiSquare: Double?; public var rangeLowEV: Double?; public var rangeHighEV: Double?
        public var components: [LCFComponent] }
    public struct Correlation: Sendable { public var mapID: Int64; public var elementA: String; public var elementB: String
        public var rSquared: Double; public var nPixels: Int? }

    public var sections: [Section] = []
    public var maps: [Map] = []
    public var pois: [POI] = []
    public var xanes: [XANES] = []
    public var lcf: [LCF] = []
    public var correlations: [Correlation] = []

    static func load(_ db: Database) throws -> ThinSectionData {
        var data = ThinSectionData()
        data.sections = try db.rows("SELECT id, code, sample_id FROM thin_section ORDER BY code").map {
            Section(id: $0.int64("id") ?? 0, code: $0.string("code") ?? "", sampleID: $0.int64("sample_id") ?? 0)
        }
        data.maps = try db.rows("SELECT id, thin_section_id, label, beamline, energy_ev, pixel_um FROM xrf_map ORDER BY thin_section_id, label").map {
            Map(id: $0.int64("id") ?? 0, sectionID: $0.int64("thin_section_id") ?? 0, label: $0.string("label") ?? "",
                beamline: $0.string("beamline"), energyEV: $0.double("energy_ev"), pixelUm: $0.double("pixel_um"))
        }
        data.pois = try db.rows("SELECT id, xrf_map_id, label, phase FROM poi ORDER BY xrf_map_id, label").map {
            POI(id: $0.int64("id") ?? 0, mapID: $0.int64("xrf_map_id") ?? 0, label: $0.string("label") ?? "",
                phase: $0.string("phase"))
        }
        data.xanes = try db.rows("SELECT * FROM xanes_result ORDER BY poi_id, edge").map {
            XANES(poiID: $0.int64("poi_id") ?? 0, edge: $0.string("edge") ?? "", oxidationState: $0.string("oxidation_state"),
                  ce4Fraction: $0.double("ce4_fraction"), e0EV: $0.double("e0_ev"))
        }
        var components: [Int64: [LCFComponent]] = [:]
        for row in try db.rows("SELECT * FROM lcf_component ORDER BY lcf_fit_id, fraction DESC, phase") {
            components[row.int64("lcf_fit_id") ?? 0, default: []].append(
                LCFComponent(phase: row.string("phase") ?? "", fraction: row.double("fraction") ?? 0,
                             uncertainty: row.double("uncertainty")))
        }
        data.lcf = try db.rows("SELECT * FROM lcf_fit ORDER BY poi_id, edge").map {
            LCF(poiID: $0.int64("poi_id") ?? 0, edge: $0.string("edge") ?? "", rFactor: $0.double("r_factor"),
                chiSquare: $0.double("chi_square"), rangeLowEV: $0.double("range_low_ev"),
                rangeHighEV: $0.double("range_high_ev"), components: components[$0.int64("id") ?? 0] ?? [])
        }
        data.correlations = try db.rows("SELECT * FROM map_correlation ORDER BY xrf_map_id, element_a, element_b").map {
            Correlation(mapID: $0.int64("xrf_map_id") ?? 0, elementA: $0.string("element_a") ?? "",
                        elementB: $0.string("element_b") ?? "", rSquared: $0.double("r_squared") ?? 0,
                        nPixels: $0.int("n_pixels"))
        }
        return data
    }
}
