fn main() {
    println!("clipfile");
}
