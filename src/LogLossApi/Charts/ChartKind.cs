namespace LogLossApi.Charts;

/// <summary>The pictures of the article the service explains.</summary>
public enum ChartKind
{
    /// <summary>Each point's predicted probability of its true class, sorted, positives and negatives in two colours.</summary>
    Probabilities,

    /// <summary>The −log(p) curve with every point placed on it by its true-class probability, and the mean loss.</summary>
    Losses,

    /// <summary>Forecast against observed rate: binned points sized by count, the PAV recalibration, the diagonal.</summary>
    Reliability,
}
