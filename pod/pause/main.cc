// cricket-pause: placeholder until the infra process lands.
int main() { return 0; }
