namespace LogLossApi.Charts;

/// <summary>The article's pictures that need only labels and predictions (POST /v1/log-loss/chart).</summary>
public enum ChartKind
{
    /// <summary>Each point's predicted probability of its true class, sorted and stood on one baseline (the article's Figure 8).</summary>
    Probabilities,

    /// <summary>The −log(p) curve with every point placed on it by its true-class probability, and the mean loss (Figure 9).</summary>
    Losses,

    /// <summary>Forecast against observed rate: binned points sized by count, the PAV recalibration, the diagonal.</summary>
    Reliability,

    /// <summary>Each point's loss as a bar, in input order, and their mean as a line: the log loss (Figure 10).</summary>
    LossBars,

    /// <summary>The distribution q(y) of the labels: the share of negatives and of positives, and its entropy (Figure 11).</summary>
    Labels,

    /// <summary>
    /// Each point's probability of its true class as a bar, side by side in input order: positives standing from 0,
    /// negatives hanging from 1 (Figure 7, for predictions without x).
    /// </summary>
    SideBySide,
}

/// <summary>The article's pictures that need the feature x and the fitted model (POST /v1/logistic-regression/chart).</summary>
public enum RegressionChartKind
{
    /// <summary>The feature x of every point on a line (Figure 0).</summary>
    Points,

    /// <summary>The points coloured by class: positives green, negatives red (Figure 1).</summary>
    Classes,

    /// <summary>The points split into the two classes, positives above and negatives below (Figure 2).</summary>
    Split,

    /// <summary>The fitted sigmoid σ(βx + b) through the split points (Figure 3).</summary>
    Fit,

    /// <summary>Each positive's probability p(x) as a green bar from 0 up to the curve (Figure 4).</summary>
    PositiveBars,

    /// <summary>Each negative's probability of its class, 1 − p(x), as a red bar hanging from 1 down to the curve (Figure 5).</summary>
    NegativeBars,

    /// <summary>Both classes' bars under and above the curve (Figure 6).</summary>
    Bars,

    /// <summary>The bars taken off the x axis and set side by side, in the order of x (Figure 7).</summary>
    SideBySide,
}
