extension FeatureProfile {
    /// The representative value of each bin, used for the Wasserstein distance.
    ///
    /// The first bin spans [`minimum`, first edge), the last [last edge, `maximum`], the others
    /// [edge, next edge); each is represented by its mid-point. The open outer bins are closed by the
    /// training minimum and maximum, so a live value beyond the training range counts at the outer
    /// bin's mid-point (Wasserstein under-states shifts past the training range; PSI and KS still see them).
    public var binMidpoints: [Double] {
        guard !edges.isEmpty else { return [(minimum + maximum) / 2] }
        var points: [Double] = []
        points.reserveCapacity(edges.count + 1)
        var lower = Swift.min(minimum, edges[0])
        for edge in edges {
            points.append((lower + edge) / 2)
            lower = edge
        }
        points.append((lower + Swift.max(maximum, lower)) / 2)
        return points
    }

    /// The scale that normalises the Wasserstein distance: the training standard deviation, or 1 when
    /// the training values are constant (then the distance is reported in the feature's own units).
    public var wassersteinScale: Double {
        standardDeviation > 0 ? standardDeviation : 1
    }
}
