import Testing

@testable import Simulation

@Suite struct AnnotationTimeModelTests {
    let model = AnnotationTimeModel(manualSeconds: 210, reviewFloorSeconds: 30)

    @Test func uselessPreLabelCostsTheManualTimeAndAPerfectOneTheFloor() {
        #expect(model.seconds(quality: 0) == 210)
        #expect(model.seconds(quality: 1) == 30)
    }

    @Test func defaultMappingIsLinearInTheShareLeftWrong() {
        #expect(model.seconds(quality: 0.5) == 120)
        #expect(abs(model.seconds(quality: 2.0 / 3) - 90) < 1e-9)  // where the seed's foundation model sits
    }

    @Test func qualityOutsideZeroToOneIsClamped() {
        #expect(model.seconds(quality: -0.2) == 210)
        #expect(model.seconds(quality: 1.3) == 30)
    }

    @Test func exponentBendsTheMappingButKeepsTheEnds() {
        let cheapSmallErrors = AnnotationTimeModel(manualSeconds: 210, reviewFloorSeconds: 30, exponent: 2)
        #expect(cheapSmallErrors.seconds(quality: 0) == 210)
        #expect(cheapSmallErrors.seconds(quality: 1) == 30)
        #expect(cheapSmallErrors.seconds(quality: 0.5) == 75)
    }
}
