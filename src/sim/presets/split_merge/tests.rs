use super::*;
use crate::sim::learner::Learner;
use crate::sim::synapses::receptive_field_patches;

const MNIST: (usize, usize, usize) = (28, 28, 1);

fn small(maps: f64) -> SplitMergeParams {
    SplitMergeParams {
        maps,
        ..SplitMergeParams::default()
    }
}

#[test]
fn the_default_geometry_has_21_areas_and_each_neuron_sees_its_own_field() {
    // 4 kernels of 28 (1 position), 2 of 24 at stride 4 (2 × 2 positions), 1 of 16 at stride
    // 6 (3 × 3): 4 + 8 + 9 = 21 areas; with 3 maps, 63 neurons and 3·(4·784 + 8·576 + 9·256)
    // = 30 144 input synapses (448 maps: 9 408 neurons, 4 501 504 synapses).
    let net = SplitMerge::new(small(3.0), MNIST, 1).unwrap();
    assert_eq!((net.areas, net.neurons()), (21, 63));
    let input = &net.network.projections[net.wiring.normalized].synapses;
    assert_eq!(input.len(), 3 * (4 * 784 + 8 * 576 + 9 * 256));
    assert_eq!(448 * (4 * 784 + 8 * 576 + 9 * 256), 4_501_504);
    // Area 4 is the first 24 × 24 position (top left), area 7 the last (offset 4, 4); area 20
    // the last 16 × 16 position (offset 12, 12). Map 2 of each.
    let patches_24 = receptive_field_patches(28, 28, 24, 4).unwrap();
    let patches_16 = receptive_field_patches(28, 28, 16, 6).unwrap();
    for (area, patch) in [
        (4, &patches_24[0]),
        (7, &patches_24[3]),
        (20, &patches_16[8]),
    ] {
        let j = area * 3 + 2;
        let field = input.incoming_weights(j);
        let seen: Vec<usize> = (0..784).filter(|&i| field[i] != 0.0).collect();
        assert_eq!(&seen, patch, "area {area}");
        assert!(seen
            .iter()
            .all(|&i| (1e-7..=0.3 + 1e-7).contains(&field[i])));
    }
    assert_eq!(patches_16[8][0], 12 * 28 + 12);
    assert!(input.delay_steps.iter().all(|&d| d <= 20));
}

#[test]
fn each_neuron_inhibits_exactly_the_other_maps_of_its_area() {
    let net = SplitMerge::new(small(4.0), MNIST, 1).unwrap();
    let inhibition = &net.network.projections[1].synapses;
    for j in [0, 5, 83] {
        let area = j / 4;
        for k in 0..84 {
            let expected: f64 = if k / 4 == area && k != j { 24.0 } else { 0.0 };
            assert_eq!(
                inhibition.weight(j, k).to_bits(),
                expected.to_bits(),
                "{j} → {k}"
            );
        }
    }
}

#[test]
fn bad_geometry_is_refused_naming_the_parameter() {
    let mut p = SplitMergeParams::default();
    p.set("kernel_size_1", 32.0).unwrap();
    let e = SplitMerge::new(p, MNIST, 0).unwrap_err().to_string();
    assert!(e.contains("kernel_size_1") && e.contains("32"), "{e}");
    let mut p = SplitMergeParams::default();
    p.set("stride_2", 0.0).unwrap();
    let e = p.validate().unwrap_err().to_string();
    assert!(e.contains("stride_2") && e.contains('0'), "{e}");
    let mut p = SplitMergeParams::default();
    p.set("maps", 2.5).unwrap();
    assert!(p.validate().unwrap_err().to_string().contains("maps"));
    let e = SplitMerge::new(small(2.0), (28, 28, 0), 0)
        .unwrap_err()
        .to_string();
    assert!(e.contains("channels") && e.contains('0'), "{e}");
    let e = p.set("mapz", 1.0).unwrap_err().to_string();
    assert!(e.contains("mapz") && e.contains("maps"), "{e}");
}

#[test]
fn a_bright_image_trains_the_weights_and_the_next_sample_starts_from_the_sum() {
    // STDP moves each field's sum away from 78.4 while the layer fires, inside [w_min, w_max];
    // the next learning presentation starts by rescaling every sum back to 78.4 (a blank image:
    // no arrival, no spike, so the rescaled weights are what remains).
    let mut net = SplitMerge::new(small(2.0), MNIST, 3).unwrap();
    let image: Vec<u8> = (0..784)
        .map(|i| if (i / 28) % 7 < 4 { 255 } else { 0 })
        .collect();
    let r = net.present(&image, true, 5);
    assert!(r.counts.iter().sum::<u32>() >= 5 * 21, "{:?}", r.counts);
    let sums = |net: &SplitMerge| -> Vec<f64> {
        let fields = net.receptive_fields().unwrap();
        fields.iter().map(|f| f.iter().sum()).collect()
    };
    assert!(sums(&net).iter().any(|s| (s - 78.4).abs() > 1e-3));
    let w = &net.network.projections[net.wiring.normalized].synapses.w;
    assert!(w.iter().all(|&x| (1e-7..=1.0).contains(&x)));
    let blank = vec![0u8; 784];
    let r = net.present(&blank, true, 6);
    assert_eq!(r.counts.iter().sum::<u32>(), 0);
    assert!(
        sums(&net).iter().all(|s| (s - 78.4).abs() < 1e-9),
        "{:?}",
        sums(&net)
    );
}

#[test]
fn colour_images_get_one_pathway_set_per_channel_on_32_by_32() {
    // On 32 × 32: type 1 (28, stride 1) has 5 × 5 positions × 4 kernels = 100 areas, type 2
    // (24, stride 4) 3 × 3 × 2 = 18, type 3 (16, stride 6) 3 × 3 × 1 = 9: 127 areas per plane.
    let p = small(1.0);
    assert_eq!(p.layer_size(32, 32, 1).unwrap(), 127);
    assert_eq!(p.layer_size(32, 32, 3).unwrap(), 381);
    let net = SplitMerge::new(p, (32, 32, 3), 2).unwrap();
    assert_eq!((net.areas, net.neurons()), (381, 381));
    // Area 127 is the first area of the green plane: its field is the first 28 × 28 patch of
    // that plane, pixels offset by 32 · 32.
    let input = &net.network.projections[net.wiring.normalized].synapses;
    let field = input.incoming_weights(127);
    let seen: Vec<usize> = (0..3 * 1024).filter(|&i| field[i] != 0.0).collect();
    let patch = &receptive_field_patches(32, 32, 28, 1).unwrap()[0];
    let expected: Vec<usize> = patch.iter().map(|&i| 1024 + i).collect();
    assert_eq!(seen, expected);
}
