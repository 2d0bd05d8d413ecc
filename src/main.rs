fn main() { policyqc::hello(); }
