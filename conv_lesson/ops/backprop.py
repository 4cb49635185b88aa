"""A batch of images through a convolutional layer and max pooling, forward and backward (lesson 09).

The same arithmetic as :func:`conv_lesson.ops.conv_layer` and
:func:`conv_lesson.ops.max_pool`, for many images at once (a leading batch
axis), with the gradients training needs: for the detectors, the images slid
under the error (lesson 06's feature map); for the images, the error stamped
back through the detectors (lesson 08's transposed convolution).
"""

from __future__ import annotations

import numpy as np

from .checks import as_array, check_bias, check_int
from .geometry import scan_geometry

__all__ = ["conv_forward", "conv_backward", "max_pool_backward"]

_IMAGES_WHAT = "a batch of images, (N, H, W) or (N, H, W, C)"
_DETECTORS_WHAT = "an array of detectors, (D, kh, kw) for (N, H, W) images or (D, kh, kw, C) for (N, H, W, C) ones"


def _checked(images, detectors, padding):
    """Images and detectors as 4-D float arrays (channels last), the padding amounts, the output size."""
    images = as_array(images, "images", (3, 4), _IMAGES_WHAT).astype(float)
    detectors = as_array(detectors, "detectors", (3, 4), _DETECTORS_WHAT).astype(float)
    if images.ndim - detectors.ndim != 0:
        raise ValueError(
            f"detectors must have a channel axis exactly when the images do: images {images.shape}, "
            f"detectors {detectors.shape} (expected {_DETECTORS_WHAT})"
        )
    if images.ndim == 3:
        images, detectors = images[..., None], detectors[..., None]
    if detectors.shape[3] != images.shape[3]:
        raise ValueError(
            f"detectors must read every channel of the images: images have {images.shape[3]} channel(s), "
            f"detectors {detectors.shape[3]}"
        )
    geo = scan_geometry(images.shape[1:3], detectors.shape[1:3], 1, padding, 1, image_name="images")
    return images, detectors, geo


def _windows(images, geo):
    """(N, H', W', kh, kw, C): every window of every padded image, a view."""
    (t, b), (l, r) = geo.pads
    padded = np.pad(images, ((0, 0), (t, b), (l, r), (0, 0)))
    view = np.lib.stride_tricks.sliding_window_view(padded, geo.extent, axis=(1, 2))
    return view.transpose(0, 1, 2, 4, 5, 3)


def conv_forward(images, detectors, bias=None, *, padding=0):
    """A convolutional layer on a batch of images: one feature map per detector, for every image.

    ``out[n]`` is ``conv_layer(images[n], detectors, bias, padding=padding)``
    (stride 1, no dilation: the layer of lesson 09).

    Parameters
    ----------
    images : array_like, shape (N, H, W) or (N, H, W, C)
    detectors : array_like, shape (D, kh, kw) or (D, kh, kw, C)
    bias : array_like of D numbers, optional
    padding : int, (int, int), 'valid' or 'same', default 0
        As for :func:`conv_lesson.feature_map`.

    Returns
    -------
    ndarray, shape (N, H', W', D), float

    Examples
    --------
    >>> images = [[[1, 2, 0], [0, 1, 3], [4, 0, 1]]]
    >>> conv_forward(images, [[[1, 0], [0, 1]]], [0.5])[0, :, :, 0]
    array([[2.5, 5.5],
           [0.5, 2.5]])
    """
    images, detectors, geo = _checked(images, detectors, padding)
    out = np.einsum("nijabc,dabc->nijd", _windows(images, geo), detectors, optimize=True)
    bias = check_bias(bias, detectors.shape[0])
    if bias is not None:
        out = out + bias
    return out


def conv_backward(images, detectors, error, *, padding=0):
    """The gradients of a convolutional layer, given the error (gradient of the loss) at its output.

    Parameters
    ----------
    images, detectors, padding
        As for :func:`conv_forward`.
    error : array_like, shape (N, H', W', D)
        How the loss changes with each cell of each feature map.

    Returns
    -------
    (ndarray, ndarray, ndarray)
        ``d_detectors`` (the detectors' shape): for detector ``d``, every
        image's windows weighted by its error map ``error[..., d]`` and
        summed: the images slid under the error, as in lesson 06.
        ``d_bias`` (D,): the sum of each error map.
        ``d_images`` (the images' shape): every error cell stamps its detector
        back onto the window it read, the padding cut off again: the
        transposed convolution of lesson 08.

    Examples
    --------
    >>> d_det, d_bias, d_img = conv_backward([[[1, 2], [3, 4]]], [[[1, 0], [0, 2]]], [[[[1.0]]]])
    >>> d_det[0].tolist(), d_bias.tolist()
    ([[1.0, 2.0], [3.0, 4.0]], [1.0])
    >>> d_img[0].tolist()
    [[1.0, 0.0], [0.0, 2.0]]
    """
    flat = np.ndim(images) == 3
    images, detectors, geo = _checked(images, detectors, padding)
    error = as_array(error, "error", (4,), "an array (N, H', W', D): one error map per image and detector")
    expected = (images.shape[0], *geo.out_shape, detectors.shape[0])
    if error.shape != expected:
        raise ValueError(f"error must have the layer output's shape {expected}; got {error.shape}")
    d_detectors = np.einsum("nijabc,nijd->dabc", _windows(images, geo), error, optimize=True)
    (t, _), (l, _) = geo.pads
    (oh, ow), (kh, kw) = geo.out_shape, detectors.shape[1:3]
    stamped = np.zeros((images.shape[0], oh + kh - 1, ow + kw - 1, images.shape[3]))
    for a in range(kh):
        for b in range(kw):
            stamped[:, a : a + oh, b : b + ow] += error @ detectors[:, a, b, :]
    d_images = stamped[:, t : t + images.shape[1], l : l + images.shape[2]]
    if flat:
        return d_detectors[..., 0], error.sum(axis=(0, 1, 2)), d_images[..., 0]
    return d_detectors, error.sum(axis=(0, 1, 2)), d_images


def max_pool_backward(feature_maps, error, size=2):
    """The gradient of max pooling: each block's error goes to the cell that held its maximum.

    Parameters
    ----------
    feature_maps : array_like, shape (N, H, W, C)
        What went into the pooling.
    error : array_like, shape (N, H // size, W // size, C)
        The gradient of the loss at the pooling's output.
    size : int, default 2
        The pooling blocks (size x size, not overlapping); rows and columns
        past the last whole block were never read and get 0.

    Returns
    -------
    ndarray, the shape of ``feature_maps``
        0 everywhere except at each block's maximum (the first, in reading
        order, when several cells tie), which gets the block's error.

    Examples
    --------
    >>> maps = np.array([[1, 5], [3, 2]]).reshape(1, 2, 2, 1)
    >>> max_pool_backward(maps, [[[[10.0]]]])[0, :, :, 0]
    array([[ 0., 10.],
           [ 0.,  0.]])
    """
    maps = as_array(feature_maps, "feature_maps", (4,), "a batch of feature maps, (N, H, W, C)")
    size = check_int(size, "size", 1)
    n, h, w, c = maps.shape
    ph, pw = h // size, w // size
    error = as_array(error, "error", (4,), "an array (N, H // size, W // size, C)")
    if error.shape != (n, ph, pw, c):
        raise ValueError(f"error must have the pooled maps' shape {(n, ph, pw, c)}; got {error.shape}")
    blocks = maps[:, : ph * size, : pw * size].reshape(n, ph, size, pw, size, c).transpose(0, 1, 3, 5, 2, 4)
    first_max = blocks.reshape(n, ph, pw, c, -1).argmax(axis=-1)
    routed = np.zeros((n, ph, pw, c, size * size))
    np.put_along_axis(routed, first_max[..., None], error[..., None], axis=-1)
    routed = routed.reshape(n, ph, pw, c, size, size).transpose(0, 1, 4, 2, 5, 3).reshape(n, ph * size, pw * size, c)
    out = np.zeros(maps.shape)
    out[:, : ph * size, : pw * size] = routed
    return out
