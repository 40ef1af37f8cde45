"""Who takes part: the 21 municipalities of Lapland and the network's organisations."""
