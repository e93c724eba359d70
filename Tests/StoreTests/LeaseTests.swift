import Foundation
import Store
import Testing

@Suite("image leases, review and annotation times")
struct LeaseTests {
    let ana = Holder(id: "token:1", name: "ana")
    let ben = Holder(id: "token:2", name: "ben")
    let rita = Holder(id: "token:3", name: "rita")

    @Test("each holder gets a different image, the same one when asking again, none when all are leased")
    func distinctAndSticky() async throws {
        let temp = try TemporaryStore()
        let (project, ids) = try await project(with: 2, in: temp.store)
        let first = try await temp.store.leaseNext(project: project, holder: ana, duration: 600)
        let second = try await temp.store.leaseNext(project: project, holder: ben, duration: 600)
        #expect(first?.image.id == ids[0])
        #expect(second?.image.id == ids[1])
        #expect(first?.lease.holder == ana.id)
        #expect(try await temp.store.leaseNext(project: project, holder: ana, duration: 600)?.image.id == ids[0])
        #expect(try await temp.store.leaseNext(project: project, holder: rita, duration: 600) == nil)
        // Ben submitting Ana's unlabelled image is refused and stores nothing.
        await #expect(throws: StoreError.self) {
            try await temp.store.saveAnnotation(project: project, image: ids[0], objects: [], source: .drawn, who: "ben", annotator: ben)
        }
        await #expect(throws: StoreError.self) { try await temp.store.skipImage(project: project, id: ids[0], holder: ben) }
        #expect(try await temp.store.image(project: project, id: ids[0]).status == .unlabelled)
        // Ana's submit releases her lease.
        _ = try await temp.store.saveAnnotation(project: project, image: ids[0], objects: [], source: .drawn, who: "ana", annotator: ana)
        #expect(try await temp.store.currentLease(project: project, image: ids[0]) == nil)
    }

    @Test("an expired lease returns its image to the pool")
    func expiry() async throws {
        let temp = try TemporaryStore()
        let (project, ids) = try await project(with: 1, in: temp.store)
        let start = Date()
        #expect(try await temp.store.leaseNext(project: project, holder: ana, duration: 60, now: start)?.image.id == ids[0])
        #expect(try await temp.store.leaseNext(project: project, holder: ben, duration: 60, now: start + 59) == nil)
        let later = start + 61
        #expect(try await temp.store.leaseNext(project: project, holder: ben, duration: 60, now: later)?.image.id == ids[0])
        // Ana's renewal now meets Ben's lease.
        await #expect(throws: StoreError.self) {
            try await temp.store.lease(project: project, image: ids[0], holder: ana, duration: 60, now: later + 1)
        }
    }

    @Test("a returned image goes back to its annotator first, with the comment; accepted ones are counted")
    func review() async throws {
        let temp = try TemporaryStore()
        let (project, ids) = try await project(with: 3, in: temp.store)
        let image = try #require(try await temp.store.leaseNext(project: project, holder: ana, duration: 600)).image.id
        _ = try await temp.store.saveAnnotation(project: project, image: image, objects: [], source: .drawn, who: "ana", annotator: ana, activeSeconds: 12.5)
        let queued = try #require(try await temp.store.leaseNextReview(project: project, reviewer: rita, duration: 600))
        #expect(queued.image.id == image)
        #expect(queued.lease.kind == .review)
        await #expect(throws: StoreError.self) {
            try await temp.store.review(project: project, image: image, decision: .return, comment: "  ", reviewer: rita)
        }
        let returned = try await temp.store.review(project: project, image: image, decision: .return, comment: "missed one", reviewer: rita)
        #expect(returned.reviewState == .returned)
        #expect(try await temp.store.leaseNextReview(project: project, reviewer: rita, duration: 600) == nil)
        // Ana had moved on to the next image; asking again gives her the returned one first.
        _ = try await temp.store.leaseNext(project: project, holder: ben, duration: 600)
        let back = try #require(try await temp.store.leaseNext(project: project, holder: ana, duration: 600))
        #expect(back.image.id == image)
        #expect(back.returned == ReviewNote(comment: "missed one", reviewer: "rita"))
        // Ben never gets Ana's returned image.
        #expect(try await temp.store.leaseNext(project: project, holder: ben, duration: 600)?.image.id != image)
        _ = try await temp.store.saveAnnotation(project: project, image: image, objects: [], source: .edited, who: "ana", annotator: ana, activeSeconds: 3)
        _ = try await temp.store.leaseNextReview(project: project, reviewer: rita, duration: 600)
        // The reviewer's own edit keeps the image Ana's; accepting it counts.
        _ = try await temp.store.saveAnnotation(project: project, image: image, objects: [], source: .edited, who: "rita", annotator: rita)
        #expect(try await temp.store.annotation(project: project, image: image).assignee == ana.id)
        let accepted = try await temp.store.review(project: project, image: image, decision: .accept, comment: "", reviewer: rita, expectedVersion: 3)
        #expect(accepted.reviewState == .accepted)
        #expect(try await temp.store.reviewCounts(project: project) == ReviewCounts(pending: 0, accepted: 1, returned: 0))
        _ = ids
    }

    @Test("nobody reviews their own annotation: the queue skips it for them and a decision is refused")
    func noSelfReview() async throws {
        let temp = try TemporaryStore()
        let (project, _) = try await project(with: 2, in: temp.store)
        let image = try #require(try await temp.store.leaseNext(project: project, holder: rita, duration: 600)).image.id
        _ = try await temp.store.saveAnnotation(project: project, image: image, objects: [], source: .drawn, who: "rita", annotator: rita)
        #expect(try await temp.store.leaseNextReview(project: project, reviewer: rita, duration: 600) == nil)
        do {
            _ = try await temp.store.review(project: project, image: image, decision: .accept, comment: "", reviewer: rita)
            Issue.record("a self-review was accepted")
        } catch let error as StoreError {
            #expect(error == .ownWork(image: image))
        }
        #expect(try await temp.store.reviewCounts(project: project).pending == 1)
        // Another reviewer gets it from the queue and decides.
        #expect(try await temp.store.leaseNextReview(project: project, reviewer: ben, duration: 600)?.image.id == image)
        #expect(try await temp.store.review(project: project, image: image, decision: .accept, comment: "", reviewer: ben).reviewState == .accepted)
    }

    @Test("annotation times list every save with its seconds and the images labelled before it")
    func times() async throws {
        let temp = try TemporaryStore()
        let (project, ids) = try await project(with: 3, in: temp.store)
        for (i, seconds) in [(0, 40.0), (1, 20.0)] {
            _ = try await temp.store.saveAnnotation(
                project: project, image: ids[i], objects: [], source: .drawn, who: "ana", annotator: ana, activeSeconds: seconds)
        }
        _ = try await temp.store.saveAnnotation(project: project, image: ids[0], objects: [], source: .edited, who: "ben", annotator: ben, activeSeconds: 5)
        _ = try await temp.store.saveAnnotation(project: project, image: ids[2], objects: [], source: .drawn, who: "ben", annotator: ben)
        let times = try await temp.store.annotationTimes(project: project)
        #expect(times.map(\.labelledIndex) == [0, 1, 1, 2])
        #expect(times.map(\.seconds) == [40, 20, 5, nil])
        #expect(times.map(\.version) == [1, 1, 2, 1])
        #expect(times.map(\.annotatorId) == [ana.id, ana.id, ben.id, ben.id])
        for bad in [Double.nan, .infinity, -1, 86_401] {
            await #expect(throws: StoreError.self) {
                try await temp.store.saveAnnotation(project: project, image: ids[1], objects: [], source: .edited, who: "ana", activeSeconds: bad)
            }
        }
        #expect(try await temp.store.history(project: project, image: ids[1]).count == 1)
    }
}
