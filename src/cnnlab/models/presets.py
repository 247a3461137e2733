"""Named architectures, each a spec string. A bare ``dense`` is the output layer with K outputs.

Parameter counts on MNIST (1×28×28, K = 10) and MNIST-1D (1×40, K = 10):

=================  ==========  =========================================================
preset             params      source
=================  ==========  =========================================================
logistic           7,850       multinomial logistic regression
mlp                269,322     784-256-256-10 multilayer perceptron
small-cnn          34,026      cnnlab's fast CPU network (three stride-2 convs, no pooling)
lenet5             61,706      LeNet-5 with ReLU and max-pooling (padding 2 on conv1)
tinyvgg            4,440       CNN Explainer's TinyVGG (10 channels, two blocks)
pytorch-example    1,199,882   PyTorch examples/mnist
cnn1d              5,210       MNIST-1D paper's CNN (3 × conv1d 25 channels, stride 2)
mlp1d              15,210      MNIST-1D paper's MLP (40-100-100-10)
conv-vae           58,393      conditional VAE: conv encoder, transposed-conv decoder
mlp-vae            59,468      conditional VAE of dense layers, about conv-vae's size
char-cnn           21,958      character CNN for text (1×160 character ids, K = 6)
ngram-mlp          20,556      MLP on a hashed bag of character 1-3-grams (same text, K = 6)
=================  ==========  =========================================================
"""

from __future__ import annotations

from cnnlab.i18n import N_, resolve_lang, translate, unknown_name


class Preset(str):
    """A preset's spec string that also carries a description and a default input shape.

    ``PRESETS["lenet5"]`` compares equal to its spec; ``.describe("es")`` gives the Spanish text
    (``.english``, marked ``N_``, translated by the catalog).
    """

    name: str
    english: str
    input_shape: tuple[int, ...]

    def __new__(cls, name: str, spec: str, english: str, input_shape: tuple[int, ...]):
        obj = super().__new__(cls, spec)
        obj.name, obj.english, obj.input_shape = name, english, input_shape
        return obj

    @property
    def spec(self) -> str:
        return str.__str__(self)

    def describe(self, lang: str | None = None) -> str:
        """The description in ``lang`` (``en``/``es``; default from the environment)."""

        return translate(self.english, resolve_lang(lang), {})


IMAGE = (1, 28, 28)
SEQUENCE = (1, 40)
TEXT = (1, 160)  # character ids of one sentence (cnnlab.data.textsets.LENGTH)

_TABLE = [
    (
        "logistic",
        "flatten dense",
        N_("Multinomial logistic regression: one dense layer on the flattened pixels."),
        IMAGE,
    ),
    (
        "mlp",
        "flatten dense(256) relu dense(256) relu dense",
        N_("Multilayer perceptron with two hidden layers of 256 (784-256-256-10 on MNIST)."),
        IMAGE,
    ),
    (
        "small-cnn",
        "conv(16,5,stride=2,padding=2) batchnorm relu conv(32,3,stride=2,padding=1) batchnorm "
        "relu conv(64,3,stride=2,padding=1) batchnorm relu flatten dense",
        N_(
            "Small fast CNN for the CPU: three stride-2 convs (5×5 then 3×3; 16, 32, 64 channels) "
            "with batch norm and no pooling; 99 % on MNIST in 2 epochs."
        ),
        IMAGE,
    ),
    (
        "lenet5",
        "conv(6,5,padding=2) relu maxpool(2) conv(16,5) relu maxpool(2) "
        "flatten dense(120) relu dense(84) relu dense",
        N_("LeNet-5 (LeCun et al. 1998) with ReLU and max-pooling; 61,706 parameters on MNIST."),
        IMAGE,
    ),
    (
        "tinyvgg",
        "conv(10,3) relu conv(10,3) relu maxpool(2) conv(10,3) relu conv(10,3) relu maxpool(2) "
        "flatten dense",
        N_(
            "TinyVGG, the network shown by CNN Explainer: two blocks of two 3×3 convs, 10 channels."
        ),
        IMAGE,
    ),
    (
        "pytorch-example",
        "conv(32,3) relu conv(64,3) relu maxpool(2) dropout(0.25) flatten dense(128) relu "
        "dropout(0.5) dense",
        N_("The network of PyTorch's examples/mnist; 1,199,882 parameters."),
        IMAGE,
    ),
    (
        "cnn1d",
        "conv1d(25,5,stride=2,padding=1) relu conv1d(25,3,stride=2,padding=1) relu "
        "conv1d(25,3,stride=2,padding=1) relu flatten dense",
        N_("1-D CNN of the MNIST-1D paper (Greydanus 2020): three conv1d layers, 25 channels."),
        SEQUENCE,
    ),
    (
        "mlp1d",
        "flatten dense(100) relu dense(100) relu dense",
        N_("MLP of the MNIST-1D paper: two hidden layers of 100 (40-100-100-10)."),
        SEQUENCE,
    ),
    (
        "char-cnn",
        "embedding(16) conv1d(64,5,padding=2) relu globalmaxpool dense",
        N_(
            "Character CNN: each character becomes 16 numbers, 64 kernels of 5 characters slide "
            "over the sentence, the strongest response of each anywhere in it decides the class."
        ),
        TEXT,
    ),
    (
        "ngram-mlp",
        "ngrambag(3,2048) dense(10) relu dense",
        N_(
            "MLP on a bag of character n-grams (1 to 3 characters hashed into 2,048 counts): it "
            "knows which pieces occur, not where; about as many parameters as char-cnn."
        ),
        TEXT,
    ),
]

_TABLE += [
    (
        "conv-vae",
        "label conv(16,4,stride=2,padding=1) relu conv(32,4,stride=2,padding=1) relu flatten "
        "latent(4) dense(1568) relu reshape(32,7,7) label convt(16,4,stride=2,padding=1) relu "
        "label convt(1,4,stride=2,padding=1) sigmoid",
        N_(
            "Conditional VAE that makes digits: two stride-2 convs encode 28×28 to 32×7×7, a "
            "code of 4 numbers plus the label, two stride-2 transposed convs paint 7×7 back to "
            "28×28 (the label joins as 10 extra channels)."
        ),
        IMAGE,
    ),
    (
        "mlp-vae",
        "flatten label dense(31) relu latent(4) dense(31) relu label dense(784) sigmoid "
        "reshape(1,28,28)",
        N_(
            "Dense conditional VAE with about conv-vae's parameters: (784 + label)-31-(4 + label)-"
            "31-(+ label)-784."
        ),
        IMAGE,
    ),
]

PRESETS: dict[str, Preset] = {row[0]: Preset(*row) for row in _TABLE}

EPOCHS = 5  # `cnnlab train`'s passes over the data when none are given
GENERATOR_EPOCHS = 10  # the generators' default: their digits keep sharpening after 5 passes


def default_epochs(model: str) -> int:
    """``cnnlab train``'s default passes for ``model`` (a preset name or a spec string): 10 for
    the generative presets (conv-vae, mlp-vae), else 5."""
    return GENERATOR_EPOCHS if model.strip().lower() in ("conv-vae", "mlp-vae") else EPOCHS


def preset_spec(name: str) -> str:
    """The spec string of preset ``name`` (e.g. ``preset_spec("logistic") == "flatten dense"``)."""
    key = name.strip().lower()
    if key not in PRESETS:
        raise unknown_name(N_("model preset"), name, PRESETS)
    return PRESETS[key].spec
