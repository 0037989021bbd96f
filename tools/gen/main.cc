// placeholder replaced by the generator
int main() { return 1; }
